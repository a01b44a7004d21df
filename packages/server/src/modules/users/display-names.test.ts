/**
 * Names that mislead are refused where they enter: a display name or chat name holding a
 * bidirectional control (U+202A–E, U+2066–9, U+200E/F, U+061C) could reorder the line it is
 * shown in ("Ann added ‮evil"); one made only of invisible characters (spaces, zero-width
 * and format characters, fillers) impersonates nobody in particular. Both answer
 * validation_failed naming the field, at sign-up, on a profile edit and for chats, over REST
 * and the socket.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/dialects.js';
import { expectApiError } from '../../test/expect-error.js';
import { connectDevice } from '../../test/realtime-client.js';
import { signUp, startTestServer, type TestServer } from '../../test/test-server.js';

const BIDI = ['\u202Eevil', 'a\u202Ab', 'x\u202C', '\u2066Ann\u2069', 'Ann\u200E', '\u200FAnn', 'Ann\u061C', '\u2067\u2068'];
const INVISIBLE = [
  '\u200B',
  '\u200B\u200C\u200D \u2060',
  '\uFEFF',
  '\u3164',
  '\u115F\u1160',
  '\u2800',
  '\u00AD',
  '\u0301',
  '\u180E',
  ' \t ',
];
const FINE = ['Zoë 李小龍 🐉', 'مريم', 'דוד', '👩‍💻', 'Ann (admin)', 'ʕ•ᴥ•ʔ'];

for (const dialect of DIALECTS) {
  describe(`display names and chat names on ${dialect}`, () => {
    let ts: TestServer;
    beforeAll(async () => {
      ts = await startTestServer(dialect);
    });
    afterAll(() => ts.close());

    it('refuses a display name with a bidi control or nothing visible, on a profile edit and at sign-up', async () => {
      const a = await signUp(ts, 'namer');
      for (const displayName of BIDI) {
        const error = await expectApiError(a.client.users.updateMe({ displayName }), 'validation_failed', 400);
        expect({ displayName, details: error.details }).toMatchObject({
          displayName,
          details: { field: 'displayName', rule: 'bidiControl' },
        });
      }
      for (const displayName of INVISIBLE) {
        const error = await expectApiError(a.client.users.updateMe({ displayName }), 'validation_failed', 400);
        expect({ displayName, details: error.details }).toMatchObject({ displayName, details: { field: 'displayName' } });
      }
      expect((await a.client.users.me()).displayName).toBe(a.user.displayName);
      for (const displayName of FINE) expect((await a.client.users.updateMe({ displayName })).displayName).toBe(displayName);
      const error = await expectApiError(
        ts.client().auth.register({
          email: `bidi${Date.now()}@example.org`,
          username: `bidi${Date.now().toString(36)}`,
          password: 'a long enough pw 1',
          displayName: 'Support\u202Egnp.exe',
        }),
        'validation_failed',
        400,
      );
      expect(error.details).toMatchObject({ field: 'displayName', rule: 'bidiControl' });
    });

    it('refuses such chat names when creating and renaming, over REST and the socket', async () => {
      const a = await signUp(ts, 'chatnamer');
      for (const name of [...BIDI, ...INVISIBLE]) {
        const error = await expectApiError(a.client.chats.create({ kind: 'group', name }), 'validation_failed', 400);
        expect({ name, field: error.details?.field }).toEqual({ name, field: 'name' });
      }
      const group = await a.client.chats.create({ kind: 'group', name: 'Plain' });
      await expectApiError(a.client.chats.update(group.id, { name: 'x\u202E' }), 'validation_failed', 400);
      const device = await connectDevice(ts.url, a.token);
      for (const name of ['\u2067rtl', '\u200B\u200B']) {
        const refused = await device.rt.call('chat.update', { chatId: group.id, name }).catch((e: unknown) => e);
        expect(refused).toMatchObject({ code: 'validation_failed', details: { location: 'params', field: 'name' } });
      }
      device.close();
      expect((await a.client.chats.get(group.id)).name).toBe('Plain');
      for (const name of FINE) expect((await a.client.chats.update(group.id, { name })).name).toBe(name);
    });
  });
}
