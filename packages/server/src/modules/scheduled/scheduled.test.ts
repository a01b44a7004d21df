/**
 * Scheduled send and reminders (E17) through real servers on every dialect: messages
 * scheduled on one server are sent at their time by the next server started on the same
 * database (the jobs survive the restart), edits move them, cancelling stops them, one
 * that can no longer be sent stays listed as failed, and a reminder lands in the
 * notification centre. Nobody else can see or touch another's.
 */
import type { CentreNotification, Message, ScheduledUpdated } from '@parley/protocol';
import { createParleyClient, type ParleyClient } from '@parley/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config.js';
import { createParleyServer, type ParleyServer } from '../../server.js';
import { DIALECTS } from '../../test/dialects.js';
import { expectApiError } from '../../test/expect-error.js';
import { connectDevice } from '../../test/realtime-client.js';
import { CHEAP_PASSWORD_HASHING, createTestDatabase, type TestDatabase } from '../../test/test-server.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();

async function waitUntil<T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(150);
  }
}

for (const dialect of DIALECTS) {
  describe(`scheduled messages and reminders on ${dialect}`, () => {
    let database: TestDatabase;
    let server: ParleyServer | null = null;
    let url = '';
    const env = () => ({
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      JOBS_POLL_MS: '100',
      REGISTER_IP_MAX_ACCOUNTS: '1000',
      ...CHEAP_PASSWORD_HASHING,
      ...database.env,
    });
    const start = async (port: string) => {
      server = await createParleyServer(loadConfig({ ...env(), PORT: port }));
      url = await server.listen();
    };
    beforeAll(async () => {
      database = await createTestDatabase(dialect);
      await start('0');
    });
    afterAll(async () => {
      await server?.close();
      await database.drop();
    });

    async function person(name: string): Promise<{ client: ParleyClient; id: string; token: string }> {
      const client = createParleyClient({ baseUrl: url });
      const suffix = Math.random().toString(36).slice(2, 8);
      const result = await client.auth.register({
        email: `${name}${suffix}@example.org`,
        username: `${name}${suffix}`,
        password: `pw-${suffix}-long-enough`,
      });
      return { client, id: result.user.id, token: result.token };
    }

    // Due 12 s ahead: enough for the set-up and the restart to happen first on a busy machine.
    it('sends at its time after a restart in between; edits, cancels, failures and reminders', { timeout: 60_000 }, async () => {
      const ann = await person('ann');
      const bob = await person('bob');
      const direct = await ann.client.chats.openDirect(bob.id);
      const group = await bob.client.chats.create({ kind: 'group', name: 'Soon left', memberIds: [ann.id] });
      const annDevice = await connectDevice(url, ann.token);

      const sent = await ann.client.scheduled.create(direct.id, { text: 'Happy birthday!', sendAt: inMs(12_000) });
      const cancelled = await ann.client.scheduled.create(direct.id, { text: 'Never mind', sendAt: inMs(12_000) });
      const edited = await ann.client.scheduled.create(direct.id, { text: 'draft wording', sendAt: inMs(60_000) });
      const orphan = await ann.client.scheduled.create(group.id, { text: 'to a group I leave', sendAt: inMs(12_000) });
      expect(sent).toMatchObject({ chatId: direct.id, text: 'Happy birthday!', status: 'pending', error: null });
      await annDevice.waitFor((f) => f.event === 'scheduled.updated' && (f.data as ScheduledUpdated).id === orphan.id);
      annDevice.close();

      await ann.client.scheduled.update(edited.id, { text: 'Final wording', sendAt: inMs(12_500) });
      await ann.client.scheduled.cancel(cancelled.id);
      await ann.client.chats.leave(group.id);
      const list = await ann.client.scheduled.list();
      expect(list.items.map((s) => s.text)).toEqual(['Happy birthday!', 'to a group I leave', 'Final wording']);
      // Someone else's id is not found, whatever they try.
      await expectApiError(bob.client.scheduled.cancel(sent.id), 'scheduled_not_found', 404);
      await expectApiError(bob.client.scheduled.update(sent.id, { text: 'hijack' }), 'scheduled_not_found', 404);
      expect((await bob.client.scheduled.list()).items).toEqual([]);
      await expectApiError(ann.client.scheduled.create(direct.id, { text: 'late', sendAt: inMs(-1000) }), 'validation_failed', 400);

      const note = await bob.client.messages.send(direct.id, { clientId: 'remind-me', text: 'Call the venue before Friday' });
      const reminder = await ann.client.reminders.create(direct.id, note.id, inMs(10_000));
      expect((await ann.client.reminders.list()).items.map((r) => r.id)).toEqual([reminder.id]);
      await expectApiError(bob.client.reminders.cancel(reminder.id), 'reminder_not_found', 404);

      // The server goes away before any of it is due, and another starts on the same database.
      expect((await bob.client.messages.history(direct.id)).items.map((m) => m.text)).not.toContain('Happy birthday!');
      expect((await ann.client.reminders.list()).items).toHaveLength(1);
      const port = new URL(url).port;
      await server?.close();
      server = null;
      await sleep(500);
      await start(port);

      const texts = await waitUntil(async () => {
        const items = (await bob.client.messages.history(direct.id)).items.map((m: Message) => m.text);
        return items.includes('Happy birthday!') && items.includes('Final wording') ? items : undefined;
      });
      expect(texts.filter((t) => t === 'Happy birthday!' || t === 'Final wording' || t === 'Never mind')).toEqual([
        'Happy birthday!',
        'Final wording',
      ]);
      const failed = await waitUntil(async () => (await ann.client.scheduled.list()).items.find((s) => s.status === 'failed'));
      expect(failed).toMatchObject({ id: orphan.id, error: 'chat_not_found' });
      expect((await ann.client.scheduled.list()).items).toHaveLength(1);

      const reminded = await waitUntil(async () =>
        (await ann.client.notificationCentre.list()).items.find((n: CentreNotification) => n.kind === 'reminder'),
      );
      expect(reminded).toMatchObject({ chatId: direct.id, messageId: note.id, data: { excerpt: 'Call the venue before Friday' } });
      expect((await ann.client.reminders.list()).items).toEqual([]);
      await ann.client.scheduled.cancel(orphan.id);
      expect((await ann.client.scheduled.list()).items).toEqual([]);
    });
  });
}
