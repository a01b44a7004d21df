/**
 * The system under test: the real Parley server (HTTP API, WebSocket protocol, storage)
 * configured entirely from the environment the bench passes in.
 *
 * PARLEY_BENCH_SERVER may name another server entry (e.g. a candidate change checked
 * out elsewhere: /tmp/candidate/packages/server/src/index.ts) to measure it against
 * the same baselines — the before/after of a performance fix.
 */
import { pathToFileURL } from 'node:url';
import type { createParleyServer as CreateServer, loadConfig as LoadConfig } from '@parley/server';
import { serveChild } from './child.js';

interface ServerModule {
  createParleyServer: typeof CreateServer;
  loadConfig: typeof LoadConfig;
}

serveChild(async () => {
  const entry = process.env.PARLEY_BENCH_SERVER;
  const { createParleyServer, loadConfig } = (await (entry ? import(pathToFileURL(entry).href) : import('@parley/server'))) as ServerModule;
  const server = await createParleyServer(loadConfig(process.env));
  const url = await server.listen();
  return { port: Number(new URL(url).port), stop: () => server.close() };
});
