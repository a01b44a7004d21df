/** Password hashes: argon2id at OWASP's cost unless the server is told otherwise; any hash verifies whatever its cost. */
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { hashPassword, OWASP_COST, setPasswordHashCost, verifyPassword } from './passwords.js';

describe('password hashing cost', () => {
  afterEach(() => setPasswordHashCost(OWASP_COST));

  it('defaults to argon2id with 19 MiB and 2 passes, in the config as in the module', async () => {
    const config = loadConfig({});
    expect({ memoryKib: config.PASSWORD_HASH_MEMORY_KIB, passes: config.PASSWORD_HASH_PASSES }).toEqual(OWASP_COST);
    setPasswordHashCost(OWASP_COST);
    expect(await hashPassword('correct horse battery')).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it('makes new hashes at the configured cost, and still verifies hashes made at another', async () => {
    const strong = await hashPassword('correct horse battery');
    setPasswordHashCost({ memoryKib: 256, passes: 1 });
    const cheap = await hashPassword('correct horse battery');
    expect(cheap).toMatch(/^\$argon2id\$v=19\$m=256,t=1,p=1\$/);
    expect(await verifyPassword(strong, 'correct horse battery')).toBe(true);
    expect(await verifyPassword(cheap, 'correct horse battery')).toBe(true);
    expect(await verifyPassword(cheap, 'correct horse batterY')).toBe(false);
  });

  it('refuses a memory cost below 64 KiB at start-up, naming the key', () => {
    expect(() => loadConfig({ PASSWORD_HASH_MEMORY_KIB: '8' })).toThrow(/PASSWORD_HASH_MEMORY_KIB/);
  });
});
