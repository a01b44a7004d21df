/**
 * Backup and restore (J7). SQLite: an online copy through SQLite's backup API
 * (better-sqlite3's `backup()`), which copies pages while the server keeps reading and
 * writing — a consistent snapshot, never a torn file. PostgreSQL: `pg_dump` in its custom
 * format. Either way the files directory (DATA_DIR/files, uploads on disk) is copied next
 * to it, and a manifest says what the backup holds. Restore copies both back into an
 * empty DATA_DIR (or runs `pg_restore`) while the server is stopped.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import type { Config } from '../../config.js';

const run = promisify(execFile);

export const MANIFEST = 'manifest.json';
const SQLITE_FILE = 'parley.db';
const PG_FILE = 'parley.pgdump';
const FILES_DIR = 'files';

export interface BackupManifest {
  format: 'parley-backup';
  version: 1;
  createdAt: string;
  dialect: 'sqlite' | 'postgres';
  database: string;
  /** Files copied from DATA_DIR/files; 0 when there is no such directory (S3 is backed up by its own means). */
  files: number;
  fileBytes: number;
}

type BackupConfig = Pick<Config, 'DATA_DIR' | 'DATABASE_URL' | 'sqlitePath'>;

/** Copies a directory tree; returns how many files and bytes. */
function copyTree(from: string, to: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  if (!fs.existsSync(from)) return { files, bytes };
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) {
      const inner = copyTree(source, target);
      files += inner.files;
      bytes += inner.bytes;
    } else if (entry.isFile()) {
      fs.copyFileSync(source, target);
      files += 1;
      bytes += fs.statSync(target).size;
    }
  }
  return { files, bytes };
}

/**
 * Makes a backup in `target` (created; must be empty). Safe while the server runs: the
 * database is copied first and the files after, so every file a backed-up message names
 * was written before its message committed and is in the copy.
 */
export async function createBackup(config: BackupConfig, target: string): Promise<BackupManifest> {
  fs.mkdirSync(target, { recursive: true });
  if (fs.readdirSync(target).length > 0) throw new Error(`backup directory ${target} is not empty`);
  let database: string;
  if (config.DATABASE_URL) {
    database = PG_FILE;
    await run('pg_dump', ['--format=custom', '--no-owner', `--file=${path.join(target, PG_FILE)}`, config.DATABASE_URL]);
  } else {
    database = SQLITE_FILE;
    if (!fs.existsSync(config.sqlitePath)) throw new Error(`no database at ${config.sqlitePath}`);
    const source = new SQLite(config.sqlitePath, { fileMustExist: true });
    try {
      source.pragma('busy_timeout = 5000');
      // All remaining pages in one step, under one read transaction: copied in small steps,
      // every write of the running server between two steps would restart the copy.
      await source.backup(path.join(target, SQLITE_FILE), { progress: () => 0x7fffffff });
    } finally {
      source.close();
    }
  }
  const copied = copyTree(path.join(config.DATA_DIR, FILES_DIR), path.join(target, FILES_DIR));
  const manifest: BackupManifest = {
    format: 'parley-backup',
    version: 1,
    createdAt: new Date().toISOString(),
    dialect: config.DATABASE_URL ? 'postgres' : 'sqlite',
    database,
    files: copied.files,
    fileBytes: copied.bytes,
  };
  fs.writeFileSync(path.join(target, MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

export function readManifest(source: string): BackupManifest {
  const manifest = JSON.parse(fs.readFileSync(path.join(source, MANIFEST), 'utf8')) as BackupManifest;
  if (manifest.format !== 'parley-backup' || manifest.version !== 1) throw new Error(`${source} is not a Parley backup`);
  return manifest;
}

/**
 * Restores a backup into the configured (stopped) server's storage: the SQLite file into
 * an empty DATA_DIR, or `pg_restore` into an empty PostgreSQL database; files alike.
 */
export async function restoreBackup(config: BackupConfig, source: string): Promise<BackupManifest> {
  const manifest = readManifest(source);
  const wantDialect = config.DATABASE_URL ? 'postgres' : 'sqlite';
  if (manifest.dialect !== wantDialect) throw new Error(`the backup is of ${manifest.dialect}; the configured database is ${wantDialect}`);
  if (manifest.dialect === 'postgres') {
    await run('pg_restore', ['--no-owner', '--exit-on-error', `--dbname=${config.DATABASE_URL}`, path.join(source, PG_FILE)]);
  } else {
    if (fs.existsSync(config.sqlitePath)) throw new Error(`${config.sqlitePath} exists: restore into an empty DATA_DIR`);
    fs.mkdirSync(path.dirname(config.sqlitePath), { recursive: true });
    fs.copyFileSync(path.join(source, SQLITE_FILE), config.sqlitePath);
  }
  copyTree(path.join(source, FILES_DIR), path.join(config.DATA_DIR, FILES_DIR));
  return manifest;
}
