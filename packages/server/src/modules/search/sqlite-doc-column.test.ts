/**
 * SQLite's doc map (migration 0016): a database indexed under 0005's `search_docs` table
 * upgrades with every doc id kept, so nothing is indexed again and what was found still is;
 * a message deleted outright (as its chat's deletion cascades) takes its tokens with it.
 */
import { Migrator, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { newId } from '../../ids.js';
import { openStorage, type Storage } from '../../storage/database.js';
import { MIGRATIONS } from '../../storage/migrations/index.js';
import { createTestDatabase, type TestDatabase } from '../../test/test-server.js';
import { FIXTURE_AT, userRow } from '../../test/user-row.js';

const BEFORE = '0015-upload-cleanup';
const names = Object.keys(MIGRATIONS);

describe('the SQLite search doc column (migration 0016)', () => {
  let database: TestDatabase;
  let storage: Storage;
  const migrator = () => new Migrator({ db: storage.db, provider: { getMigrations: async () => MIGRATIONS } });

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    storage = await openStorage(loadConfig(database.env));
  });
  afterAll(async () => {
    await storage.close();
    await database.drop();
  });

  const ftsRows = async (token: string) =>
    Number(
      (await sql<{ n: number }>`select count(*) as n from message_fts where message_fts match ${`"${token}"`}`.execute(storage.db)).rows[0]
        ?.n,
    );

  it('keeps the doc ids of a database indexed before it, and drops the tokens of a message deleted outright', async () => {
    expect(names.indexOf(BEFORE)).toBeLessThan(names.indexOf('0016-search-doc-column'));
    const before = await migrator().migrateTo(BEFORE);
    expect(before.error).toBeUndefined();
    const db = storage.db;
    const owner = userRow();
    await db.insertInto('users').values(owner).execute();
    const chatId = newId();
    await sql`insert into chats (id, kind, name, name_search, owner_id, last_seq, created_at, last_activity_at)
      values (${chatId}, 'group', 'Old index', 'old index', ${owner.id}, 2, ${FIXTURE_AT}, ${FIXTURE_AT})`.execute(db);
    const texts = ['zygomorphic orchids', 'zygomorphic 上海东边'];
    const messageIds = texts.map(() => newId());
    for (const [i, text] of texts.entries()) {
      await sql`insert into messages (id, chat_id, seq, kind, sender_id, text, mentions, created_at)
        values (${messageIds[i]}, ${chatId}, ${i + 1}, 'text', ${owner.id}, ${text}, '[]', ${FIXTURE_AT + i})`.execute(db);
      // As 0005's index wrote them: a search_docs row, and the tokens at its doc id.
      await sql`insert into search_docs (doc_id, message_id) values (${i + 7}, ${messageIds[i]})`.execute(db);
      await sql`insert into message_fts (rowid, body, extra) values (${i + 7}, ${text.includes('上海') ? 'zygomorphic 上海 海东 东边' : 'zygomorphic orchids'}, '')`.execute(
        db,
      );
    }

    const after = await migrator().migrateToLatest();
    expect(after.error).toBeUndefined();
    const docs = await sql<{ id: string; search_doc: number }>`select id, search_doc from messages order by seq`.execute(db);
    expect(docs.rows.map((r) => [r.id, r.search_doc])).toEqual([
      [messageIds[0], 7],
      [messageIds[1], 8],
    ]);
    const tables = await sql<{ name: string }>`select name from sqlite_master where name = 'search_docs'`.execute(db);
    expect(tables.rows).toEqual([]);
    // The join the index's queries make still finds both, newest first, through the column.
    const found = await sql<{ id: string }>`select m.id from message_fts f join messages m on m.search_doc = f.rowid
      where message_fts match 'zygomorphic' order by f.rowid desc`.execute(db);
    expect(found.rows.map((r) => r.id)).toEqual([messageIds[1], messageIds[0]]);

    expect(await ftsRows('orchids')).toBe(1);
    await sql`delete from messages where id = ${messageIds[0]}`.execute(db);
    expect(await ftsRows('orchids')).toBe(0);
    expect(await ftsRows('zygomorphic')).toBe(1);
  });
});
