/**
 * The example bot (examples/echo-bot.mjs) as a process against a real server: scoped to a
 * group by its owner, it answers "!echo …" and "!ping" there over its own WebSocket, and
 * stops when its token is replaced.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, MAIN_JS } from '../../test/server-process.js';
import { signUp, startTestServer, type TestServer } from '../../test/test-server.js';

const ROOT = path.resolve(path.dirname(MAIN_JS), '../../..');

describe('examples/echo-bot.mjs', () => {
  let ts: TestServer;
  let bot: ChildProcess | null = null;
  beforeAll(async () => {
    buildServer();
    ts = await startTestServer('sqlite');
  }, 240_000);
  afterAll(async () => {
    bot?.kill();
    await ts?.close();
  });

  it('answers in the chat it is scoped to, and exits when its token is replaced', { timeout: 60_000 }, async () => {
    const owner = await signUp(ts, 'echoowner');
    const created = await owner.client.bots.create({ username: 'echo_example', displayName: 'Echo' });
    const group = await owner.client.chats.create({ kind: 'group', name: 'Echo test' });
    await owner.client.bots.setScope(created.bot.user.id, group.id, true);

    const output: string[] = [];
    const child = spawn(process.execPath, [path.join(ROOT, 'examples/echo-bot.mjs')], {
      cwd: ROOT,
      env: { ...process.env, PARLEY_URL: ts.url, PARLEY_BOT_TOKEN: created.token },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    bot = child;
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const listening = new Promise<void>((resolve) => {
      const read = (chunk: Buffer) => {
        output.push(chunk.toString());
        if (output.join('').includes('is listening')) resolve();
      };
      child.stdout?.on('data', read);
      child.stderr?.on('data', read);
    });
    await listening;

    await owner.client.messages.send(group.id, { clientId: 'echo-1', text: '!echo hello there' });
    await owner.client.messages.send(group.id, { clientId: 'echo-2', text: '!ping' });
    const deadline = Date.now() + 15_000;
    let texts: string[] = [];
    while (Date.now() < deadline) {
      const history = await owner.client.messages.history(group.id);
      texts = history.items.filter((m) => m.senderId === created.bot.user.id).map((m) => m.text);
      if (texts.length >= 2) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(texts.sort()).toEqual(['hello there', 'pong']);

    await owner.client.bots.replaceToken(created.bot.user.id);
    expect(await exited).toBe(1);
    bot = null;
    expect(output.join('')).toContain('token was replaced');
  });
});
