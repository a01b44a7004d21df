/**
 * Notification settings through the real API on every dialect: changes reach the person's
 * other devices as `notifications.updated` (quiet hours synced across devices), bad
 * input is refused with the field named; and without SMTP_URL the server says mail is off
 * and its mail jobs complete without sending (the would-be mail is logged).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/dialects.js';
import { expectApiError } from '../../test/expect-error.js';
import { connectDevice, sleep } from '../../test/realtime-client.js';
import { signUp, startTestServer, type TestServer } from '../../test/test-server.js';

for (const dialect of DIALECTS) {
  describe(`notification settings on ${dialect}`, () => {
    let ts: TestServer;
    beforeAll(async () => {
      ts = await startTestServer(dialect, { JOBS_POLL_MS: '50' });
    });
    afterAll(() => ts?.close());

    it('syncs quiet hours, do-not-disturb and chat levels to the person’s other devices', async () => {
      const mia = await signUp(ts, 'mia');
      const other = await signUp(ts, 'other');
      const chat = await mia.client.chats.openDirect(other.user.id);
      const phone = await connectDevice(ts.url, mia.token);
      const strangersPhone = await connectDevice(ts.url, other.token);
      const until = new Date(Date.now() + 2 * 3_600_000).toISOString();
      const settings = await mia.client.notifications.updateSettings({
        timeZone: 'Europe/Berlin',
        quietHours: [{ day: 5, start: 23 * 60, end: 8 * 60 }],
        doNotDisturbUntil: until,
        quietAllowStarred: true,
      });
      expect(settings).toMatchObject({ timeZone: 'Europe/Berlin', doNotDisturbUntil: until, quietAllowStarred: true, quietNow: true });
      const event = await phone.waitFor((e) => e.event === 'notifications.updated' && 'settings' in (e.data as object));
      expect(event.data).toEqual({ settings });
      expect(event.stream).toBe(`u:${mia.user.id}`);

      await mia.client.notifications.setChatLevel(chat.id, 'nothing');
      const level = await phone.waitFor((e) => e.event === 'notifications.updated' && 'chatLevel' in (e.data as object));
      expect(level.data).toEqual({ chatLevel: { chatId: chat.id, level: 'nothing', effective: 'nothing' } });
      expect(await mia.client.notifications.settings()).toEqual(settings);
      await sleep(200);
      expect(strangersPhone.events.filter((e) => e.event === 'notifications.updated')).toEqual([]);
      phone.close();
      strangersPhone.close();
    });

    it('refuses an unknown time zone and an impossible schedule, naming the field', async () => {
      const { client } = await signUp(ts, 'zone');
      const bad = await expectApiError(client.notifications.updateSettings({ timeZone: 'Mars/Olympus' }), 'validation_failed', 400);
      expect(bad.details).toMatchObject({ field: 'timeZone' });
      await expectApiError(client.notifications.updateSettings({ quietHours: [{ day: 7, start: 0, end: 60 }] }), 'validation_failed', 400);
      // Deliberately outside the schema's choices.
      await expectApiError(client.notifications.updateSettings({ digestDelayMinutes: 7 as unknown as 5 }), 'validation_failed', 400);
    });

    it('without SMTP_URL says mail is off, logs each mail it would have sent, and finishes its mail jobs', async () => {
      expect(await ts.client().notifications.serverInfo()).toMatchObject({ mail: false, requireEmailVerification: false });
      // The server's own logger is silent in tests; this one keeps what the mailer logs.
      const logged: { obj: { to?: string; subject?: string; text?: string }; msg: string }[] = [];
      ts.server.services.notify.setLog({ info: (obj, msg) => logged.push({ obj, msg }), warn: (obj, msg) => logged.push({ obj, msg }) });
      const { user } = await signUp(ts, 'nomail');
      for (let i = 0; i < 100; i += 1) {
        const left = await ts.server.storage.db.selectFrom('jobs').select(['kind', 'status']).where('kind', 'like', 'mail.%').execute();
        if (left.length === 0) break;
        expect(left.filter((j) => j.status === 'failed')).toEqual([]);
        await sleep(50);
      }
      expect(await ts.server.storage.db.selectFrom('jobs').select('id').where('kind', 'like', 'mail.%').execute()).toEqual([]);
      // The link was made (and logged), so an operator could still confirm the address.
      const tokens = await ts.server.storage.db.selectFrom('email_tokens').select('purpose').where('user_id', '=', user.id).execute();
      expect(tokens).toEqual([{ purpose: 'verify' }]);
      // …and logged with the link, so an operator can follow it.
      const unsent = logged.find((l) => l.obj.to === user.email);
      expect(unsent).toMatchObject({
        msg: 'mail not sent: SMTP_URL is not set',
        obj: { subject: 'Confirm your email address for Parley' },
      });
      expect(unsent?.obj.text).toMatch(/\/verify-email\?token=[\w-]{20,}/);
    });
  });
}
