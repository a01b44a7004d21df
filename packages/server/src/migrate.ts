/** `npm run migrate`: apply pending migrations to the configured database and exit. */
import { loadConfig } from './config.js';
import { migrate, openStorage } from './storage/database.js';

const config = loadConfig();
const storage = await openStorage(config);
try {
  const applied = await migrate(storage.db);
  process.stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'Database is up to date\n');
} finally {
  await storage.close();
}
