import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/dialects.js';
import { signUp, startTestServer, type TestServer } from '../../test/test-server.js';

for (const dialect of DIALECTS) {
  describe(`people search by name on ${dialect}`, () => {
    let ts: TestServer;
    let me: Awaited<ReturnType<typeof signUp>>;
    const named = new Map<string, string>();

    beforeAll(async () => {
      ts = await startTestServer(dialect);
      me = await signUp(ts, 'finder');
      for (const name of ['Alice Liddell', 'Liddy Smith', 'Malice Ice', '王小明', '佐藤花子', '김민수']) {
        const person = await signUp(ts, 'named');
        await person.client.users.updateMe({ displayName: name });
        named.set(person.user.id, name);
      }
    });
    afterAll(() => ts.close());

    const names = async (q: string) =>
      (await me.client.users.search(q, { limit: 50 })).items.flatMap((u) => (named.has(u.id) ? [named.get(u.id)] : [])).sort();

    it('finds a later word of a display name by its prefix, not the middle of a word', async () => {
      expect(await names('Liddell')).toEqual(['Alice Liddell']);
      expect(await names('lid')).toEqual(['Alice Liddell', 'Liddy Smith']);
      expect(await names('ice')).toEqual(['Malice Ice']);
    });

    it('finds CJK names by any two characters of them', async () => {
      expect(await names('小明')).toEqual(['王小明']);
      expect(await names('王小')).toEqual(['王小明']);
      expect(await names('花子')).toEqual(['佐藤花子']);
      expect(await names('민수')).toEqual(['김민수']);
      // One character finds only names that start with it.
      expect(await names('明')).toEqual([]);
      expect(await names('王')).toEqual(['王小明']);
    });
  });
}
