#!/usr/bin/env node
/** `parley-admin` / `npm run admin -- <command>`: see admin-commands.ts. Exit 0 done, 1 failed, 64 usage, 78 config. */
import { type Config, ConfigError, loadConfig } from '../config.js';
import { AppError } from '../errors.js';
import { restoreBackup } from '../modules/backup/backup.js';
import { migrate, openStorage } from '../storage/database.js';
import { CliError, parseArgs, runAdminCommand, USAGE } from './admin-commands.js';

const argv = process.argv.slice(2);
if (argv.length === 0 || argv[0] === 'help' || argv.includes('--help')) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(argv.length === 0 ? 64 : 0);
}

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(78);
}

// Restore writes the database itself, into an empty DATA_DIR or database: nothing may open it first.
if (argv[0] === 'restore') {
  const source = argv[1];
  if (!source) {
    process.stderr.write('name the backup directory: restore DIR\n');
    process.exit(64);
  }
  try {
    const manifest = await restoreBackup(config, source);
    process.stdout.write(`Restored the ${manifest.dialect} backup of ${manifest.createdAt} (${manifest.files} file(s))\n`);
    process.exit(0);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}

const storage = await openStorage(config);
let code = 0;
try {
  await migrate(storage.db);
  const output = await runAdminCommand(config, storage, argv);
  process.stdout.write(`${parseArgs(argv).flags.json ? JSON.stringify(output.json) : output.text.join('\n')}\n`);
} catch (error) {
  if (error instanceof CliError) {
    process.stderr.write(`${error.message}\n`);
    code = 64;
  } else if (error instanceof AppError) {
    process.stderr.write(`${error.code}: ${error.message}\n`);
    code = 1;
  } else {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    code = 1;
  }
} finally {
  await storage.close();
}
process.exit(code);
