/**
 * The SSRF guard: which addresses count as public, and a lookup that refuses a name whose
 * DNS answer points inside — checked with a real HTTP request whose connection goes
 * through the guard, to a server on 127.0.0.1 (refused, then allowed explicitly).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPublicAddress, type LookupFunction, NonPublicAddressError, publicLookup } from './public-address.js';

describe('isPublicAddress', () => {
  it('accepts public IPv4 and IPv6 addresses', () => {
    for (const address of ['93.184.216.34', '8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '2a00:1450:4001:82a::200e']) {
      expect(isPublicAddress(address), address).toBe(true);
    }
  });

  it('refuses loopback, private, link-local, CGNAT, reserved, multicast and embedded forms of them', () => {
    for (const address of [
      '127.0.0.1',
      '127.1.2.3',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
      '198.18.0.1',
      '::1',
      '::',
      'fc00::1',
      'fd12:3456::1',
      'fe80::1',
      'ff02::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:10.0.0.1',
      '64:ff9b::a9fe:a9fe',
      '2002:c0a8:0101::1',
      'not an address',
      'localhost',
    ]) {
      expect(isPublicAddress(address), address).toBe(false);
    }
  });
});

describe('publicLookup on a real request', () => {
  let server: http.Server;
  let port = 0;
  beforeAll(async () => {
    server = http.createServer((_req, res) => res.end('<title>A page</title>'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** A resolver that answers `address` for every name, like a hostile DNS server. */
  const answering =
    (address: string): LookupFunction =>
    (_hostname, _options, callback) =>
      callback(null, [{ address, family: 4 }]);

  const fetchVia = (lookup: LookupFunction) =>
    new Promise<string>((resolve, reject) => {
      const req = http.get({ host: 'pages.example', port, path: '/', lookup: lookup as never }, (res) => {
        let body = '';
        res.on('data', (chunk) => {
          body += chunk;
        });
        res.on('end', () => resolve(body));
      });
      req.on('error', reject);
    });

  it('refuses a name whose DNS answer is a loopback or private address', async () => {
    await expect(fetchVia(publicLookup({ resolve: answering('127.0.0.1') }))).rejects.toBeInstanceOf(NonPublicAddressError);
    await expect(fetchVia(publicLookup({ resolve: answering('10.0.0.5') }))).rejects.toThrow(/not a public address/);
  });

  it('connects to the checked address when the test allows it explicitly', async () => {
    expect(await fetchVia(publicLookup({ resolve: answering('127.0.0.1'), allow: ['127.0.0.1'] }))).toBe('<title>A page</title>');
  });
});
