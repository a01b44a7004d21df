/**
 * The built admin CLI as a process on a fresh database (every dialect): it creates the
 * first account as admin, promotes and demotes, suspends, resets a password (the old one
 * stops working, the new one signs in), lists rooms and shows stats — and audits itself.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { createParleyClient } from '@parley/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { createParleyServer, type ParleyServer } from '../server.js';
import { DIALECTS } from '../test/dialects.js';
import { expectApiError } from '../test/expect-error.js';
import { buildServer, MAIN_JS } from '../test/server-process.js';
import { createTestDatabase, type TestDatabase } from '../test/test-server.js';

const ADMIN_JS = path.join(path.dirname(MAIN_JS), 'cli/admin.js');
const run = promisify(execFile);

for (const dialect of DIALECTS) {
  describe(`parley-admin on ${dialect}`, () => {
    let database: TestDatabase;
    let server: ParleyServer;
    let url: string;

    const admin = async (...args: string[]) => {
      const { stdout } = await run(process.execPath, [ADMIN_JS, ...args, '--json'], {
        env: { ...process.env, LOG_LEVEL: 'silent', ...database.env },
      });
      return JSON.parse(stdout) as Record<string, unknown> & Array<Record<string, unknown>>;
    };
    const failure = (...args: string[]) =>
      run(process.execPath, [ADMIN_JS, ...args], { env: { ...process.env, ...database.env } }).then(
        () => ({ code: 0, stderr: '' }),
        (error: { code: number; stderr: string }) => ({ code: error.code, stderr: error.stderr }),
      );

    beforeAll(async () => {
      buildServer();
      database = await createTestDatabase(dialect);
    }, 120_000);
    afterAll(async () => {
      await server?.close();
      await database.drop();
    });

    it('creates the first account of a fresh database as admin, and it signs in', { timeout: 60_000 }, async () => {
      const created = await admin(
        'create-user',
        '--username',
        'root',
        '--email',
        'root@example.org',
        '--password',
        'correct horse battery 42',
      );
      expect(created).toMatchObject({ username: 'root', role: 'admin' });
      const second = await admin(
        'create-user',
        '--username',
        'alice',
        '--email',
        'alice@example.org',
        '--password',
        'alice has a long one 7',
      );
      expect(second).toMatchObject({ username: 'alice', role: 'user' });

      server = await createParleyServer(loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...database.env }));
      url = await server.listen();
      const root = createParleyClient({ baseUrl: url });
      await root.auth.login({ login: 'root', password: 'correct horse battery 42' });
      expect((await root.users.me()).role).toBe('admin');
      expect((await root.admin.stats()).people).toBe(2);
    });

    it('promotes, demotes and suspends people, and the running server follows', { timeout: 60_000 }, async () => {
      expect(await admin('promote', 'alice', '--role', 'moderator')).toMatchObject({ role: 'moderator' });
      const alice = createParleyClient({ baseUrl: url });
      await alice.auth.login({ login: 'alice', password: 'alice has a long one 7' });
      expect((await alice.users.me()).role).toBe('moderator');
      expect(await admin('demote', 'alice@example.org')).toMatchObject({ role: 'user' });
      expect((await alice.users.me()).role).toBe('user');

      expect(await admin('suspend', 'alice', '--reason', 'testing the CLI')).toMatchObject({ suspended: true, sessionsEnded: 1 });
      await expectApiError(alice.users.me(), 'unauthenticated', 401);
      await expectApiError(
        createParleyClient({ baseUrl: url }).auth.login({ login: 'alice', password: 'alice has a long one 7' }),
        'account_suspended',
      );
      await admin('unsuspend', 'alice');
      await createParleyClient({ baseUrl: url }).auth.login({ login: 'alice', password: 'alice has a long one 7' });
    });

    it('resets a password: the old one stops working, the printed one signs in, sessions end', { timeout: 60_000 }, async () => {
      const root = createParleyClient({ baseUrl: url });
      await root.auth.login({ login: 'root', password: 'correct horse battery 42' });
      const reset = await admin('reset-password', 'root');
      expect(typeof reset.password).toBe('string');
      await expectApiError(root.users.me(), 'unauthenticated', 401);
      await expectApiError(
        createParleyClient({ baseUrl: url }).auth.login({ login: 'root', password: 'correct horse battery 42' }),
        'invalid_credentials',
      );
      const again = createParleyClient({ baseUrl: url });
      await again.auth.login({ login: 'root', password: String(reset.password) });
      expect(await admin('reset-password', 'root', '--password', 'a chosen new passphrase 9')).not.toHaveProperty('password');
      await expectApiError(again.users.me(), 'unauthenticated', 401);
      const latest = createParleyClient({ baseUrl: url });
      await latest.auth.login({ login: 'root', password: 'a chosen new passphrase 9' });

      const log = await latest.admin.audit();
      expect(log.items.map((e) => [e.action, e.actorName, e.ip])).toContainEqual(['user.password_reset', 'cli', 'cli']);
      expect(log.items.map((e) => e.action)).toEqual(
        expect.arrayContaining(['user.create', 'user.role', 'user.suspend', 'user.unsuspend']),
      );
    });

    it('lists rooms and shows stats; refuses bad usage and weak passwords with their exit codes', { timeout: 60_000 }, async () => {
      const root = createParleyClient({ baseUrl: url });
      await root.auth.login({ login: 'root', password: 'a chosen new passphrase 9' });
      const room = await root.chats.create({ kind: 'room', name: 'CLI lobby', handle: 'clilobby' });
      await root.messages.send(room.id, { clientId: 'cli-1', text: 'hello' });
      const rooms = await admin('list-rooms');
      expect(rooms).toEqual([expect.objectContaining({ id: room.id, name: 'CLI lobby', owner: 'root', members: 1, messages: 1 })]);
      expect(await admin('stats')).toMatchObject({ people: 2, rooms: 1, messages: 1 });

      const target = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-cli-backup-'));
      try {
        const manifest = await admin('backup', path.join(target, 'b1'));
        expect(manifest).toMatchObject({ format: 'parley-backup', dialect });
        // Restored by the CLI into a fresh database, the room and its message are there.
        const fresh = await createTestDatabase(dialect);
        try {
          const restored = await run(process.execPath, [ADMIN_JS, 'restore', path.join(target, 'b1')], {
            env: { ...process.env, ...fresh.env },
          });
          expect(restored.stdout).toContain(`Restored the ${dialect} backup`);
          const { stdout } = await run(process.execPath, [ADMIN_JS, 'list-rooms', '--json'], { env: { ...process.env, ...fresh.env } });
          expect(JSON.parse(stdout)).toEqual([expect.objectContaining({ id: room.id, messages: 1 })]);
        } finally {
          await fresh.drop();
        }
      } finally {
        fs.rmSync(target, { recursive: true, force: true });
      }

      expect((await failure('no-such-command')).code).toBe(64);
      expect((await failure('suspend', 'nobody', '--reason', 'x')).code).toBe(64);
      const weak = await failure('reset-password', 'alice', '--password', 'password');
      expect(weak).toMatchObject({ code: 1, stderr: expect.stringContaining('weak_password') });
    });
  });
}
