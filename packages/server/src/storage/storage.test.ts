/**
 * The repository suite: the same tests against every dialect, straight through the repos
 * and the database (no HTTP), so a difference between SQLite and PostgreSQL shows up here.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { newId } from '../ids.js';
import { type SessionRow, sessionsRepo } from '../modules/auth/sessions.repo.js';
import { type UserRow, usersRepo } from '../modules/users/users.repo.js';
import { DIALECTS } from '../test/dialects.js';
import { createTestDatabase, type TestDatabase } from '../test/test-server.js';
import { FIXTURE_AT, userRow as fixtureUser } from '../test/user-row.js';
import { migrate, openStorage, type Storage } from './database.js';
import { MIGRATIONS } from './migrations/index.js';
import { isUniqueViolation } from './unique-violation.js';

const AT = FIXTURE_AT;

/** A stored hash shape, so the column holds what a real account holds. */
const userRow = (overrides: Partial<UserRow> = {}): UserRow =>
  fixtureUser({ password_hash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g', ...overrides });

const sessionRow = (userId: string, overrides: Partial<SessionRow> = {}): SessionRow => ({
  id: newId(),
  user_id: userId,
  token_hash: randomBytes(32).toString('hex'),
  user_agent: 'storage-test',
  ip: '127.0.0.1',
  created_at: AT,
  last_seen_at: AT,
  expires_at: AT + 86_400_000,
  ...overrides,
});

/** Resolves to the error a promise rejects with; fails the test if it resolves. */
const rejection = async (promise: Promise<unknown>): Promise<unknown> => {
  const outcome = await promise.then(
    () => ({ rejected: false as const }),
    (error: unknown) => ({ rejected: true as const, error }),
  );
  if (!outcome.rejected) throw new Error('expected the database to refuse the write');
  return outcome.error;
};

const open = async (database: TestDatabase) => openStorage(loadConfig(database.env));

for (const dialect of DIALECTS) {
  describe(`repositories on ${dialect}`, () => {
    let database: TestDatabase;
    let storage: Storage;
    beforeAll(async () => {
      database = await createTestDatabase(dialect);
      storage = await open(database);
      await migrate(storage.db);
    });
    afterAll(async () => {
      await storage.close();
      await database.drop();
    });

    it('applies every migration once, and a second run applies nothing and keeps the data', async () => {
      const fresh = await createTestDatabase(dialect);
      try {
        const first = await open(fresh);
        expect(await migrate(first.db)).toEqual(Object.keys(MIGRATIONS));
        const row = userRow();
        await usersRepo(first.db).insert(row);
        expect(await migrate(first.db)).toEqual([]);
        await first.close();

        // As after a restart: a new connection, the same database.
        const second = await open(fresh);
        expect(await migrate(second.db)).toEqual([]);
        expect(await usersRepo(second.db).findById(row.id)).toEqual(row);
        await second.close();
      } finally {
        await fresh.drop();
      }
    });

    it.each([
      ['emoji with ZWJ sequences and skin tones', '👩‍👩‍👧‍👦 family 👍🏽 🏳️‍🌈'],
      ['CJK', '李小龍 東京 서울 にほんご'],
      ['right-to-left Arabic and Hebrew with marks', 'مرحبا بالعالم ‏שלום עולם‎'],
      ['4-byte characters outside the BMP', '𝕳𝖊𝖑𝖑𝖔 𠜎𠜱𠝹 𐍈 🀄'],
      ['combining marks kept unnormalised', 'e\u0301 a\u0308 Å'],
      ['control characters, quotes and backslashes', 'tab\tnew\nline "q" \'s\' \\ %_'],
    ])('stores %s in every users text column and reads them back exactly', async (_kind, text) => {
      const users = usersRepo(storage.db);
      const row = userRow({ display_name: text, display_name_search: text.toLowerCase(), status_text: text, bio: `${text}\n${text}` });
      await users.insert(row);
      expect(await users.findById(row.id)).toEqual(row);

      const edited = `${text} ✎`;
      await users.update(row.id, { display_name: edited, bio: edited });
      expect(await users.findById(row.id)).toMatchObject({ display_name: edited, bio: edited, status_text: text });
    });

    it('finds a user by a CJK or emoji display-name prefix', async () => {
      const users = usersRepo(storage.db);
      const tag = randomBytes(4).toString('hex');
      const row = userRow({ display_name: `龍${tag}🐉`, display_name_search: `龍${tag}🐉` });
      await users.insert(row);
      expect((await users.search(`龍${tag}`, null, null, 10)).map((u) => u.id)).toEqual([row.id]);
      expect((await users.search(`龍${tag}🐉`, null, null, 10)).map((u) => u.id)).toEqual([row.id]);
    });

    it('returns millisecond timestamps as exact numbers', async () => {
      const users = usersRepo(storage.db);
      const row = userRow({ created_at: AT, last_seen_at: AT + 1, deleted_at: null });
      await users.insert(row);
      const read = await users.findById(row.id);
      expect(typeof read?.created_at).toBe('number');
      expect(read).toMatchObject({ created_at: AT, updated_at: AT, last_seen_at: AT + 1, deleted_at: null });
    });

    it('enforces unique usernames in the database itself, recognised as a username unique violation', async () => {
      const users = usersRepo(storage.db);
      const first = userRow();
      await users.insert(first);
      const error = await rejection(users.insert(userRow({ username: first.username })));
      expect(isUniqueViolation(error, 'username')).toBe(true);
      expect(isUniqueViolation(error, 'email')).toBe(false);
      expect((await users.findByUsername(first.username))?.id).toBe(first.id);
    });

    it('enforces unique emails, but lets many deleted accounts have no email', async () => {
      const users = usersRepo(storage.db);
      const first = userRow();
      await users.insert(first);
      const error = await rejection(users.insert(userRow({ email: first.email })));
      expect(isUniqueViolation(error, 'email')).toBe(true);

      await users.insert(userRow({ email: null, deleted_at: AT }));
      await users.insert(userRow({ email: null, deleted_at: AT }));
    });

    it('refuses a session whose user does not exist', async () => {
      await rejection(sessionsRepo(storage.db).insert(sessionRow(newId())));
    });

    it("deletes a user's sessions with the user row (on delete cascade), and only that user's", async () => {
      const users = usersRepo(storage.db);
      const sessions = sessionsRepo(storage.db);
      const leaving = userRow();
      const staying = userRow();
      await users.insert(leaving);
      await users.insert(staying);
      await sessions.insert(sessionRow(leaving.id));
      await sessions.insert(sessionRow(leaving.id));
      const kept = sessionRow(staying.id);
      await sessions.insert(kept);
      expect(await sessions.listByUser(leaving.id)).toHaveLength(2);

      await storage.db.deleteFrom('users').where('id', '=', leaving.id).execute();
      expect(await sessions.listByUser(leaving.id)).toEqual([]);
      expect(await sessions.listByUser(staying.id)).toEqual([kept]);
    });

    it("deletes one session only for its own user, and all of a user's sessions except the current one", async () => {
      const users = usersRepo(storage.db);
      const sessions = sessionsRepo(storage.db);
      const owner = userRow();
      const stranger = userRow();
      await users.insert(owner);
      await users.insert(stranger);
      const [current, other, third] = [sessionRow(owner.id), sessionRow(owner.id), sessionRow(owner.id)];
      for (const s of [current, other, third]) await sessions.insert(s);

      expect(await sessions.deleteOne(stranger.id, other.id)).toBe(0);
      expect(await sessions.deleteOne(owner.id, other.id)).toBe(1);
      expect(await sessions.deleteOne(owner.id, other.id)).toBe(0);
      await sessions.deleteAllOfUser(owner.id, current.id);
      expect((await sessions.listByUser(owner.id)).map((s) => s.id)).toEqual([current.id]);
      expect((await sessions.findByTokenHash(current.token_hash))?.id).toBe(current.id);
    });

    it('removes only expired sessions', async () => {
      const users = usersRepo(storage.db);
      const sessions = sessionsRepo(storage.db);
      const owner = userRow();
      await users.insert(owner);
      const expired = sessionRow(owner.id, { expires_at: AT - 1 });
      const live = sessionRow(owner.id, { expires_at: AT + 1 });
      await sessions.insert(expired);
      await sessions.insert(live);
      await sessions.deleteExpired(AT);
      expect((await sessions.listByUser(owner.id)).map((s) => s.id)).toEqual([live.id]);
    });
  });
}
