/**
 * The system under test: the real Parley server (HTTP API, WebSocket protocol, storage)
 * configured entirely from the environment the bench passes in.
 */
import { createParleyServer, loadConfig } from '@parley/server';
import { serveChild } from './child.js';

serveChild(async () => {
  const server = await createParleyServer(loadConfig(process.env));
  const url = await server.listen();
  return { port: Number(new URL(url).port), stop: () => server.close() };
});
