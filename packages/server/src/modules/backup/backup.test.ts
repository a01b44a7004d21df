/**
 * Backup while people are talking, then restore into a fresh server: every message acked
 * before the backup began is there, each chat's messages are numbered without gaps (the
 * copy is one consistent snapshot), and the files directory came along. SQLite through the
 * SQLite backup API, PostgreSQL through pg_dump / pg_restore.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createParleyClient } from '@parley/sdk';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { createParleyServer } from '../../server.js';
import { DIALECTS } from '../../test/dialects.js';
import { createTestDatabase, signUp, startTestServer } from '../../test/test-server.js';
import { createBackup, readManifest, restoreBackup } from './backup.js';

let n = 0;
const cid = () => `bk${Date.now().toString(36)}${(n++).toString(36)}`;

for (const dialect of DIALECTS) {
  describe(`backup and restore on ${dialect}`, () => {
    const cleanup: Array<() => Promise<void>> = [];
    afterAll(async () => {
      for (const step of cleanup.reverse()) await step();
    });

    it('backs up while messages are being sent; a fresh server restored from it has every acked message and file', {
      timeout: 120_000,
    }, async () => {
      const ts = await startTestServer(dialect, { WS_SEND_BURST: '100000', WS_SEND_RATE_PER_SECOND: '100000' });
      cleanup.push(() => ts.close());
      const a = await signUp(ts, 'backa');
      const b = await signUp(ts, 'backb');
      const chats = [
        await a.client.chats.create({ kind: 'group', name: 'Backed up', memberIds: [b.user.id] }),
        await a.client.chats.openDirect(b.user.id),
      ];
      // A file in the files directory, as uploads leave them.
      const filesDir = path.join(ts.env.DATA_DIR ?? '', 'files', 'ab');
      fs.mkdirSync(filesDir, { recursive: true });
      fs.writeFileSync(path.join(filesDir, 'upload-1'), 'the bytes of an upload');

      const acked: Array<{ chatId: string; id: string; text: string }> = [];
      let sending = true;
      const senders = [a, b].map(async (person, i) => {
        while (sending) {
          const chat = chats[(acked.length + i) % chats.length];
          if (!chat) break;
          const text = `message ${i}-${n}`;
          const message = await person.client.messages.send(chat.id, { clientId: cid(), text });
          acked.push({ chatId: chat.id, id: message.id, text });
        }
      });
      while (acked.length < 40) await new Promise((resolve) => setTimeout(resolve, 10));

      const ackedBefore = [...acked];
      const target = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-backup-'));
      cleanup.push(async () => fs.rmSync(target, { recursive: true, force: true }));
      const config = loadConfig(ts.env);
      const manifest = await createBackup(config, target);
      sending = false;
      await Promise.all(senders);
      expect(manifest).toMatchObject({ format: 'parley-backup', dialect, files: 1 });
      expect(readManifest(target).database).toBe(manifest.database);

      const fresh = await createTestDatabase(dialect);
      cleanup.push(() => fresh.drop());
      const freshEnv = { ...ts.env, ...fresh.env };
      if (dialect === 'sqlite') delete (freshEnv as Record<string, string | undefined>).DATABASE_URL;
      await restoreBackup(loadConfig(freshEnv), target);
      expect(fs.readFileSync(path.join(fresh.env.DATA_DIR ?? '', 'files', 'ab', 'upload-1'), 'utf8')).toBe('the bytes of an upload');

      const restored = await createParleyServer(loadConfig(freshEnv));
      const url = await restored.listen();
      cleanup.push(() => restored.close());
      const reader = createParleyClient({ baseUrl: url });
      await reader.auth.login({ login: a.user.username, password: a.password });
      for (const chat of chats) {
        const seen: Array<{ id: string; seq: number; text: string }> = [];
        let page = await reader.messages.history(chat.id, { limit: 100 });
        seen.push(...page.items);
        while (page.hasOlder && page.items[0]) {
          page = await reader.messages.history(chat.id, { limit: 100, before: page.items[0].seq });
          seen.unshift(...page.items);
        }
        const texts = new Map(seen.map((m) => [m.id, m.text]));
        for (const message of ackedBefore.filter((m) => m.chatId === chat.id)) expect(texts.get(message.id)).toBe(message.text);
        // One consistent snapshot: 1, 2, 3… with nothing missing in between.
        const seqs = seen.map((m) => m.seq);
        expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => (seqs[0] ?? 1) + i));
      }
    });
  });
}
