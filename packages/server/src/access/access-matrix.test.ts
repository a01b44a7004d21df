/**
 * The access matrix: every chat and message action, over REST and over the WebSocket,
 * by every kind of actor. Outsiders (stranger, non-member, removed member) always get
 * 404 — the same answer as for a chat that does not exist; members whose role does not
 * allow an action get 403; everyone else succeeds.
 */
import type { CommandName } from '@parley/protocol';
import type { ParleyClient } from '@parley/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../test/dialects.js';
import { connectDevice, type Device } from '../test/realtime-client.js';
import { signUp, startTestServer, type TestServer } from '../test/test-server.js';

type Role = 'stranger' | 'nonMember' | 'removed' | 'member' | 'admin' | 'owner';
const ROLES: Role[] = ['stranger', 'nonMember', 'removed', 'member', 'admin', 'owner'];
const OUTSIDERS = new Set<Role>(['stranger', 'nonMember', 'removed']);

interface Fixture {
  chatId: string;
  ownerMessageId: string;
  memberMessageId: string;
  victimMessageId: string;
  victimId: string;
  newbieId: string;
  ownChatId: string;
}

interface Action {
  name: string;
  allowed: Role[];
  ws(f: Fixture): [Exclude<CommandName, 'hello'>, Record<string, unknown>];
  rest(c: ParleyClient, f: Fixture): Promise<unknown>;
}

const ALL_INSIDERS: Role[] = ['member', 'admin', 'owner'];
let n = 0;
const cid = () => `am${Date.now().toString(36)}${(n++).toString(36)}`;

const ACTIONS: Action[] = [
  { name: 'get chat', allowed: ALL_INSIDERS, ws: (f) => ['chat.get', { chatId: f.chatId }], rest: (c, f) => c.chats.get(f.chatId) },
  {
    name: 'list members',
    allowed: ALL_INSIDERS,
    ws: (f) => ['member.list', { chatId: f.chatId }],
    rest: (c, f) => c.chats.members(f.chatId),
  },
  {
    name: 'read history',
    allowed: ALL_INSIDERS,
    ws: (f) => ['message.history', { chatId: f.chatId }],
    rest: (c, f) => c.messages.history(f.chatId),
  },
  {
    name: 'seen by',
    allowed: ALL_INSIDERS,
    ws: (f) => ['message.seenBy', { chatId: f.chatId, messageId: f.ownerMessageId }],
    rest: (c, f) => c.messages.seenBy(f.chatId, f.ownerMessageId),
  },
  {
    name: 'search in chat',
    allowed: ALL_INSIDERS,
    ws: (f) => ['message.search', { chatId: f.chatId, q: 'says' }],
    rest: (c, f) => c.search.messages({ chatId: f.chatId, q: 'says' }),
  },
  { name: 'typing', allowed: ALL_INSIDERS, ws: (f) => ['typing.start', { chatId: f.chatId }], rest: (c, f) => c.chats.typing(f.chatId) },
  {
    name: 'mark read',
    allowed: ALL_INSIDERS,
    ws: (f) => ['read.mark', { chatId: f.chatId, seq: 1 }],
    rest: (c, f) => c.chats.markRead(f.chatId, 1),
  },
  {
    name: 'mute',
    allowed: ALL_INSIDERS,
    ws: (f) => ['chat.mute', { chatId: f.chatId, muted: true }],
    rest: (c, f) => c.chats.mute(f.chatId, true),
  },
  {
    name: 'send',
    allowed: ALL_INSIDERS,
    ws: (f) => ['message.send', { chatId: f.chatId, clientId: cid(), text: 'hi' }],
    rest: (c, f) => c.messages.send(f.chatId, { clientId: cid(), text: 'hi' }),
  },
  {
    name: 'react',
    allowed: ALL_INSIDERS,
    ws: (f) => ['reaction.add', { chatId: f.chatId, messageId: f.ownerMessageId, emoji: '👍' }],
    rest: (c, f) => c.messages.react(f.chatId, f.ownerMessageId, '👍'),
  },
  {
    name: 'unreact',
    allowed: ALL_INSIDERS,
    ws: (f) => ['reaction.remove', { chatId: f.chatId, messageId: f.ownerMessageId, emoji: '👍' }],
    rest: (c, f) => c.messages.unreact(f.chatId, f.ownerMessageId, '👍'),
  },
  {
    name: 'forward out',
    allowed: ALL_INSIDERS,
    ws: (f) => ['message.forward', { chatId: f.chatId, messageIds: [f.ownerMessageId], toChatIds: [f.ownChatId] }],
    rest: (c, f) => c.messages.forward(f.chatId, [f.ownerMessageId], [f.ownChatId]),
  },
  {
    name: "edit the owner's message",
    allowed: ['owner'],
    ws: (f) => ['message.edit', { chatId: f.chatId, messageId: f.ownerMessageId, text: 'edited' }],
    rest: (c, f) => c.messages.edit(f.chatId, f.ownerMessageId, 'edited'),
  },
  {
    name: "delete another member's message",
    allowed: ['admin', 'owner'],
    ws: (f) => ['message.delete', { chatId: f.chatId, messageId: f.victimMessageId }],
    rest: (c, f) => c.messages.delete(f.chatId, f.victimMessageId),
  },
  {
    name: "delete the member's own message",
    allowed: ALL_INSIDERS,
    ws: (f) => ['message.delete', { chatId: f.chatId, messageId: f.memberMessageId }],
    rest: (c, f) => c.messages.delete(f.chatId, f.memberMessageId),
  },
  {
    name: 'rename',
    allowed: ['admin', 'owner'],
    ws: (f) => ['chat.update', { chatId: f.chatId, name: 'renamed' }],
    rest: (c, f) => c.chats.update(f.chatId, { name: 'renamed' }),
  },
  {
    name: 'add a member',
    allowed: ALL_INSIDERS,
    ws: (f) => ['member.add', { chatId: f.chatId, userIds: [f.newbieId] }],
    rest: (c, f) => c.chats.addMembers(f.chatId, [f.newbieId]),
  },
  {
    name: 'remove a member',
    allowed: ['admin', 'owner'],
    ws: (f) => ['member.remove', { chatId: f.chatId, userId: f.victimId }],
    rest: (c, f) => c.chats.removeMember(f.chatId, f.victimId),
  },
  {
    name: 'change a role',
    allowed: ['owner'],
    ws: (f) => ['member.setRole', { chatId: f.chatId, userId: f.victimId, role: 'admin' }],
    rest: (c, f) => c.chats.setRole(f.chatId, f.victimId, 'admin'),
  },
  {
    name: 'transfer ownership',
    allowed: ['owner'],
    ws: (f) => ['chat.transferOwnership', { chatId: f.chatId, userId: f.victimId }],
    rest: (c, f) => c.chats.transfer(f.chatId, f.victimId),
  },
  { name: 'leave', allowed: ALL_INSIDERS, ws: (f) => ['chat.leave', { chatId: f.chatId }], rest: (c, f) => c.chats.leave(f.chatId) },
  {
    name: 'delete the chat',
    allowed: ['owner'],
    ws: (f) => ['chat.delete', { chatId: f.chatId }],
    rest: (c, f) => c.chats.delete(f.chatId),
  },
];

const outcome = (promise: Promise<unknown>) =>
  promise.then(
    () => 'ok',
    (error: { code?: string }) => error.code ?? 'thrown',
  );

for (const dialect of DIALECTS) {
  describe(`access matrix on ${dialect}`, () => {
    let ts: TestServer;
    const people = {} as Record<Role | 'victim' | 'newbie', Awaited<ReturnType<typeof signUp>>>;
    const devices = {} as Record<Role, Device>;
    const ownChats = {} as Record<Role, string>;

    beforeAll(async () => {
      // The fixtures make hundreds of changes as one owner; the budgets are tested in rate-limits.test.ts.
      ts = await startTestServer(dialect, {
        WS_SEND_BURST: '100000',
        WS_SEND_RATE_PER_SECOND: '100000',
        ACTION_BURST: '100000',
        ACTION_RATE_PER_SECOND: '100000',
      });
      for (const role of [...ROLES, 'victim', 'newbie'] as const) people[role] = await signUp(ts, role.toLowerCase().slice(0, 8));
      for (const role of ROLES) {
        devices[role] = await connectDevice(ts.url, people[role].token);
        ownChats[role] = (await people[role].client.chats.create({ kind: 'group', name: `${role}'s own` })).id;
      }
      // The non-member shares another chat with the owner: they know each other, not this chat.
      await people.owner.client.chats.create({ kind: 'group', name: 'Elsewhere', memberIds: [people.nonMember.user.id] });
    });
    afterAll(async () => {
      for (const device of Object.values(devices)) device.close();
      await ts.close();
    });

    async function fixture(actor: Role): Promise<Fixture> {
      const owner = people.owner.client;
      const chat = await owner.chats.create({
        kind: 'group',
        name: 'Matrix',
        memberIds: [people.admin.user.id, people.member.user.id, people.removed.user.id, people.victim.user.id],
      });
      await owner.chats.setRole(chat.id, people.admin.user.id, 'admin');
      await owner.chats.removeMember(chat.id, people.removed.user.id);
      const ownerMessage = await owner.messages.send(chat.id, { clientId: cid(), text: 'owner says' });
      await owner.messages.react(chat.id, ownerMessage.id, '👍');
      const memberMessage = await people.member.client.messages.send(chat.id, { clientId: cid(), text: 'member says' });
      const victimMessage = await people.victim.client.messages.send(chat.id, { clientId: cid(), text: 'victim says' });
      return {
        chatId: chat.id,
        ownerMessageId: ownerMessage.id,
        memberMessageId: memberMessage.id,
        victimMessageId: victimMessage.id,
        victimId: people.victim.user.id,
        newbieId: people.newbie.user.id,
        ownChatId: ownChats[actor],
      };
    }

    for (const transport of ['rest', 'ws'] as const) {
      it(`answers every action over ${transport} by role: outsiders 404, insiders without the right 403, the rest succeed`, {
        timeout: 120_000,
      }, async () => {
        const table: Record<string, Record<Role, string>> = {};
        const expected: Record<string, Record<Role, string>> = {};
        for (const action of ACTIONS) {
          const got = {} as Record<Role, string>;
          const want = {} as Record<Role, string>;
          for (const role of ROLES) {
            const f = await fixture(role);
            const [cmd, params] = action.ws(f);
            got[role] = await outcome(transport === 'rest' ? action.rest(people[role].client, f) : devices[role].rt.call(cmd, params));
            want[role] = action.allowed.includes(role) ? 'ok' : OUTSIDERS.has(role) ? 'chat_not_found' : 'forbidden';
          }
          table[action.name] = got;
          expected[action.name] = want;
        }
        expect(table).toEqual(expected);
      });
    }

    it('answers a missing chat exactly like a chat the actor may not see', async () => {
      const f = await fixture('stranger');
      const missing = await outcome(people.stranger.client.chats.get('01900000-0000-7000-8000-000000000000'));
      const hidden = await outcome(people.stranger.client.chats.get(f.chatId));
      expect(hidden).toBe(missing);
      const hiddenMessage = await outcome(people.member.client.messages.seenBy(f.chatId, '01900000-0000-7000-8000-000000000000'));
      expect(hiddenMessage).toBe('message_not_found');
    });

    it('answers 401 to every chat route without credentials', async () => {
      const anonymous = ts.client();
      const f = await fixture('stranger');
      for (const action of ACTIONS) expect(await outcome(action.rest(anonymous, f)), action.name).toBe('unauthenticated');
    });
  });
}
