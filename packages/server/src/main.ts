/** Entry point: read config, migrate, serve; stop gracefully on SIGTERM/SIGINT. */
import { type Config, ConfigError, loadConfig } from './config.js';
import { createParleyServer, type ParleyServer } from './server.js';

async function main() {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }

  // Installed before start-up, so a signal during migration still stops cleanly.
  let server: ParleyServer | null = null;
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    if (!server) {
      process.stderr.write(`${signal} during start-up: exiting\n`);
      process.exit(0);
    }
    const running = server;
    running.app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000).unref();
    running.close().then(
      () => {
        clearTimeout(force);
        process.exit(0);
      },
      (error: unknown) => {
        running.app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  server = await createParleyServer(config);
  const url = await server.listen();
  server.app.log.info({ url, database: server.storage.dialect }, 'Parley is serving');
}

main().catch((error: unknown) => {
  process.stderr.write(`Parley failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
