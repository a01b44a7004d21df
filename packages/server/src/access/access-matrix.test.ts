/**
 * The access matrix: every chat and message action, over REST and over the WebSocket
 * (where the action has a command), by every kind of actor. Outsiders (stranger,
 * non-member, removed member) always get 404 — the same answer as for a chat that does not
 * exist; members whose role does not allow an action get 403; everyone else succeeds.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CommandName, CustomEmojiUploads, ErrorBody } from '@parley/protocol';
import { emojiImagePath, ParleyApiError, type ParleyClient, previewImagePath } from '@parley/sdk';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../test/dialects.js';
import { connectDevice, type Device } from '../test/realtime-client.js';
import { signUp, startTestServer, type TestServer } from '../test/test-server.js';
import { uploadFile } from '../test/tus-upload.js';

type Role = 'stranger' | 'nonMember' | 'removed' | 'member' | 'admin' | 'owner';
const ROLES: Role[] = ['stranger', 'nonMember', 'removed', 'member', 'admin', 'owner'];
const OUTSIDERS = new Set<Role>(['stranger', 'nonMember', 'removed']);

interface Fixture {
  chatId: string;
  ownerMessageId: string;
  memberMessageId: string;
  victimMessageId: string;
  /** The owner's message with a link, for actions that need one (empty otherwise). */
  linkMessageId: string;
  victimId: string;
  newbieId: string;
  ownChatId: string;
}

interface Action {
  name: string;
  allowed: Role[];
  /** Left out for a route that has no command (a file the browser loads). */
  ws?(f: Fixture): [Exclude<CommandName, 'hello'>, Record<string, unknown>];
  rest(c: ParleyClient, f: Fixture): Promise<unknown>;
  /** The owner's message with a link, or with its preview ready too, before the action is tried. */
  needs?: 'link' | 'preview';
}

/** A file route (bytes, not JSON) with the client's credentials; an error answers as the SDK's would. */
async function fetchFile(c: ParleyClient, path: string): Promise<void> {
  const response = await fetch(`${c.http.baseUrl}${path}`, { headers: c.token ? { authorization: `Bearer ${c.token}` } : {} });
  if (response.ok) {
    await response.arrayBuffer();
    return;
  }
  const { error } = (await response.json()) as ErrorBody;
  throw new ParleyApiError(response.status, error.code, error.message);
}

/** A page with a title and a picture, on 127.0.0.1 (which only this test server may fetch). */
async function startPageServer(): Promise<{ url: string; close(): Promise<void> }> {
  const png = await sharp({ create: { width: 400, height: 200, channels: 3, background: '#2a6f97' } })
    .png()
    .toBuffer();
  const server = http.createServer((req, res) => {
    if (req.url === '/picture.png') return res.writeHead(200, { 'content-type': 'image/png' }).end(png);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<html><head><meta property="og:title" content="Matrix page"><meta property="og:image" content="/picture.png"></head></html>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/page`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const ALL_INSIDERS: Role[] = ['member', 'admin', 'owner'];
let n = 0;
const cid = () => `am${Date.now().toString(36)}${(n++).toString(36)}`;

const ACTIONS: Action[] = [
  { name: 'get chat', allowed: ALL_INSIDERS, ws: (f) => ['chat.get', { chatId: f.chatId }], rest: (c, f) => c.chats.get(f.chatId) },
  {
    name: 'save a draft',
    allowed: ALL_INSIDERS,
    ws: (f) => ['draft.save', { chatId: f.chatId, text: 'draft' }],
    rest: (c, f) => c.drafts.save(f.chatId, 'draft'),
  },
  {
    name: 'schedule a message',
    allowed: ALL_INSIDERS,
    ws: (f) => ['scheduled.create', { chatId: f.chatId, text: 'later', sendAt: new Date(Date.now() + 3_600_000).toISOString() }],
    rest: (c, f) => c.scheduled.create(f.chatId, { text: 'later', sendAt: new Date(Date.now() + 3_600_000).toISOString() }),
  },
  {
    name: 'set a reminder on a message',
    allowed: ALL_INSIDERS,
    ws: (f) => [
      'reminder.create',
      { chatId: f.chatId, messageId: f.ownerMessageId, remindAt: new Date(Date.now() + 3_600_000).toISOString() },
    ],
    rest: (c, f) => c.reminders.create(f.chatId, f.ownerMessageId, new Date(Date.now() + 3_600_000).toISOString()),
  },
  {
    name: 'post a poll',
    allowed: ALL_INSIDERS,
    ws: (f) => ['poll.create', { chatId: f.chatId, clientId: cid(), question: 'Yes?', options: ['yes', 'no'] }],
    rest: (c, f) => c.polls.create(f.chatId, { clientId: cid(), question: 'Yes?', options: ['yes', 'no'] }),
  },
  {
    name: 'reply in a thread',
    allowed: ALL_INSIDERS,
    ws: (f) => ['message.send', { chatId: f.chatId, clientId: cid(), text: 'in thread', threadRootId: f.ownerMessageId }],
    rest: (c, f) => c.messages.send(f.chatId, { clientId: cid(), text: 'in thread', threadRootId: f.ownerMessageId }),
  },
  {
    name: 'open a thread',
    allowed: ALL_INSIDERS,
    ws: (f) => ['thread.get', { chatId: f.chatId, rootId: f.ownerMessageId }],
    rest: (c, f) => c.threads.get(f.chatId, f.ownerMessageId),
  },
  {
    name: 'read a thread’s replies',
    allowed: ALL_INSIDERS,
    ws: (f) => ['thread.replies', { chatId: f.chatId, rootId: f.ownerMessageId }],
    rest: (c, f) => c.threads.replies(f.chatId, f.ownerMessageId),
  },
  {
    name: 'mark a thread read',
    allowed: ALL_INSIDERS,
    ws: (f) => ['thread.markRead', { chatId: f.chatId, rootId: f.ownerMessageId, seq: 1 }],
    rest: (c, f) => c.threads.markRead(f.chatId, f.ownerMessageId, 1),
  },
  {
    name: 'follow a thread',
    allowed: ALL_INSIDERS,
    ws: (f) => ['thread.follow', { chatId: f.chatId, rootId: f.ownerMessageId, following: true }],
    rest: (c, f) => c.threads.follow(f.chatId, f.ownerMessageId, true),
  },
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
    name: 'confirm delivery',
    allowed: ALL_INSIDERS,
    ws: (f) => ['delivered.mark', { chatId: f.chatId, seq: 1 }],
    rest: (c, f) => c.chats.markDelivered(f.chatId, 1),
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
    name: "remove the link preview of the owner's message",
    allowed: ['owner'],
    ws: (f) => ['message.removePreview', { chatId: f.chatId, messageId: f.linkMessageId }],
    rest: (c, f) => c.linkPreviews.remove(f.chatId, f.linkMessageId),
    needs: 'link',
  },
  {
    name: "load a message's link preview image",
    allowed: ALL_INSIDERS,
    rest: (c, f) => fetchFile(c, previewImagePath(f.chatId, f.linkMessageId)),
    needs: 'preview',
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
    name: 'gallery',
    allowed: ALL_INSIDERS,
    ws: (f) => ['gallery.list', { chatId: f.chatId, tab: 'media' }],
    rest: (c, f) => c.files.gallery(f.chatId, { tab: 'media' }),
  },
  {
    name: 'clear the group photo',
    allowed: ['admin', 'owner'],
    ws: (f) => ['chat.setAvatar', { chatId: f.chatId, fileId: null }],
    rest: (c, f) => c.files.setChatAvatar(f.chatId, null),
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
  {
    name: 'pin the chat for yourself',
    allowed: ALL_INSIDERS,
    ws: (f) => ['chat.pin', { chatId: f.chatId, pinned: true }],
    rest: (c, f) => c.organise.pin(f.chatId, true),
  },
  {
    name: 'archive the chat for yourself',
    allowed: ALL_INSIDERS,
    ws: (f) => ['chat.archive', { chatId: f.chatId, archived: true }],
    rest: (c, f) => c.organise.archive(f.chatId, true),
  },
  {
    name: 'list pinned messages',
    allowed: ALL_INSIDERS,
    ws: (f) => ['message.pins', { chatId: f.chatId }],
    rest: (c, f) => c.organise.pins(f.chatId),
  },
  {
    name: 'pin a message',
    allowed: ['admin', 'owner'],
    ws: (f) => ['message.pin', { chatId: f.chatId, messageId: f.memberMessageId }],
    rest: (c, f) => c.organise.pinMessage(f.chatId, f.memberMessageId),
  },
  {
    name: 'unpin a message',
    allowed: ['admin', 'owner'],
    ws: (f) => ['message.unpin', { chatId: f.chatId, messageId: f.memberMessageId }],
    rest: (c, f) => c.organise.unpinMessage(f.chatId, f.memberMessageId),
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
    let page: Awaited<ReturnType<typeof startPageServer>>;

    beforeAll(async () => {
      page = await startPageServer();
      // The fixtures make hundreds of changes as one owner; the budgets are tested in rate-limits.test.ts.
      ts = await startTestServer(
        dialect,
        {
          WS_SEND_BURST: '100000',
          WS_SEND_RATE_PER_SECOND: '100000',
          ACTION_BURST: '100000',
          ACTION_RATE_PER_SECOND: '100000',
          JOBS_POLL_MS: '50',
        },
        { linkPreviewNetwork: { allow: ['127.0.0.1'] } },
      );
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
      await page.close();
    });

    /** Until the link message's preview image is served (the page is cached after the first fetch). */
    async function previewReady(f: Fixture) {
      for (let i = 0; i < 200; i += 1) {
        if ((await outcome(fetchFile(people.owner.client, previewImagePath(f.chatId, f.linkMessageId)))) === 'ok') return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error('the link preview never became ready');
    }

    async function fixture(actor: Role, needs?: Action['needs']): Promise<Fixture> {
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
      // Only where needed: each one is a preview job, and the matrix is long enough.
      const linkMessage = needs ? await owner.messages.send(chat.id, { clientId: cid(), text: `owner links ${page.url}` }) : null;
      return {
        chatId: chat.id,
        ownerMessageId: ownerMessage.id,
        memberMessageId: memberMessage.id,
        victimMessageId: victimMessage.id,
        linkMessageId: linkMessage?.id ?? '',
        victimId: people.victim.user.id,
        newbieId: people.newbie.user.id,
        ownChatId: ownChats[actor],
      };
    }

    for (const transport of ['rest', 'ws'] as const) {
      it(`answers every action over ${transport} by role: outsiders 404, insiders without the right 403, the rest succeed`, {
        // Some 300 fixtures per transport: on PostgreSQL under a loaded machine that alone took ~110 s.
        timeout: 240_000,
      }, async () => {
        const table: Record<string, Record<Role, string>> = {};
        const expected: Record<string, Record<Role, string>> = {};
        for (const action of ACTIONS) {
          const command = action.ws;
          if (transport === 'ws' && !command) continue;
          const got = {} as Record<Role, string>;
          const want = {} as Record<Role, string>;
          // Each role acts on a chat of its own and is a person of its own: the roles of one action run side by side.
          await Promise.all(
            ROLES.map(async (role) => {
              const f = await fixture(role, action.needs);
              if (action.needs === 'preview') await previewReady(f);
              got[role] = await outcome(
                command && transport === 'ws' ? devices[role].rt.call(...command(f)) : action.rest(people[role].client, f),
              );
              want[role] = action.allowed.includes(role) ? 'ok' : OUTSIDERS.has(role) ? 'chat_not_found' : 'forbidden';
            }),
          );
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

    it("answers a contact request's actions by who asks: a stranger 404 (like a missing request), the wrong side 403", async () => {
      const actions = ['accept', 'decline', 'cancel'] as const;
      const askers = { stranger: people.stranger, recipient: people.victim, sender: people.newbie };
      const table: Record<string, Record<string, string>> = {};
      for (const transport of ['rest', 'ws'] as const) {
        for (const action of actions) {
          const row: Record<string, string> = {};
          for (const [who, person] of Object.entries(askers)) {
            const sent = await people.newbie.client.contacts.request(people.victim.user.id);
            const requestId = sent.requestId ?? '';
            const device = transport === 'ws' ? await connectDevice(ts.url, person.token) : null;
            row[who] = await outcome(
              device ? device.rt.call(`contact.${action}`, { requestId }) : person.client.contacts[action](requestId),
            );
            device?.close();
            // Back to no request between them, for the next asker.
            const now = await people.newbie.client.contacts.get(people.victim.user.id);
            if (now.state === 'sent') await people.newbie.client.contacts.cancel(now.requestId ?? '');
            if (now.state === 'accepted') await people.newbie.client.contacts.remove(people.victim.user.id);
          }
          table[`${transport} ${action}`] = row;
        }
      }
      const want = (allowed: 'recipient' | 'sender') => ({
        stranger: 'request_not_found',
        recipient: allowed === 'recipient' ? 'ok' : 'forbidden',
        sender: allowed === 'sender' ? 'ok' : 'forbidden',
      });
      expect(table).toEqual({
        'rest accept': want('recipient'),
        'rest decline': want('recipient'),
        'rest cancel': want('sender'),
        'ws accept': want('recipient'),
        'ws decline': want('recipient'),
        'ws cancel': want('sender'),
      });
      expect(await outcome(people.stranger.client.contacts.accept('01900000-0000-7000-8000-000000000000'))).toBe('request_not_found');
    });

    it('answers 401 to every people route without credentials', async () => {
      const anonymous = ts.client();
      const id = people.owner.user.id;
      const calls: Array<[string, () => Promise<unknown>]> = [
        ['contacts', () => anonymous.contacts.list()],
        ['request', () => anonymous.contacts.request(id)],
        ['accept', () => anonymous.contacts.accept(id)],
        ['alias', () => anonymous.contacts.update(id, { alias: 'x' })],
        ['block', () => anonymous.contacts.block(id)],
        ['profile', () => anonymous.people.profile(id)],
        ['privacy', () => anonymous.people.updatePrivacy({ hideEmail: true })],
        ['presence', () => anonymous.people.setPresence('away')],
        ['centre', () => anonymous.notificationCentre.list()],
        ['centre read', () => anonymous.notificationCentre.markRead()],
        ['organisation', () => anonymous.organise.get()],
        ['pin order', () => anonymous.organise.reorderPins([])],
      ];
      for (const [name, call] of calls) expect(await outcome(call()), name).toBe('unauthenticated');
    });

    it('answers the notification routes: a chat’s push level by role (outsiders 404), and 401 to each without credentials', async () => {
      const got = {} as Record<Role, string>;
      const want = {} as Record<Role, string>;
      for (const role of ROLES) {
        const f = await fixture(role);
        got[role] = await outcome(people[role].client.notifications.setChatLevel(f.chatId, 'all'));
        want[role] = OUTSIDERS.has(role) ? 'chat_not_found' : 'ok';
      }
      expect(got).toEqual(want);
      const anonymous = ts.client();
      const f = await fixture('stranger');
      const calls: Array<[string, () => Promise<unknown>]> = [
        ['settings', () => anonymous.notifications.settings()],
        ['update settings', () => anonymous.notifications.updateSettings({ emailDigest: false })],
        ['chat levels', () => anonymous.notifications.chatLevels()],
        ['chat level', () => anonymous.notifications.setChatLevel(f.chatId, 'all')],
        ['push devices', () => anonymous.notifications.pushDevices()],
        [
          'subscribe',
          () =>
            anonymous.notifications.subscribePush({
              endpoint: 'https://push.example/x',
              keys: { p256dh: 'a'.repeat(20), auth: 'b'.repeat(10) },
            }),
        ],
        ['remove device', () => anonymous.notifications.removePushDevice(f.chatId)],
        ['resend verification', () => anonymous.notifications.resendVerification()],
        ['change email', () => anonymous.notifications.changeEmail({ email: 'x@example.org', password: 'x' })],
      ];
      for (const [name, call] of calls) expect(await outcome(call()), name).toBe('unauthenticated');
    });

    it('answers 401 to every chat route without credentials', async () => {
      const anonymous = ts.client();
      const f = await fixture('stranger', 'link');
      for (const action of ACTIONS) expect(await outcome(action.rest(anonymous, f)), action.name).toBe('unauthenticated');
    });
  });
}

/**
 * Server roles (A8): every admin route by a plain user, a moderator and an admin. A user
 * gets 403 on all of them; a moderator only reads people and rooms, suspends plain users
 * and removes messages and members in public rooms; an admin may do everything. Custom
 * emoji (E19) are here too: adding is for admins unless the server lets everyone
 * (`customEmojiUploads`), renaming and deleting stay with admins whatever that setting says.
 */
type ServerRoleName = 'user' | 'moderator' | 'admin';
const SERVER_ROLES: ServerRoleName[] = ['user', 'moderator', 'admin'];
const STAFF: ServerRoleName[] = ['moderator', 'admin'];

interface AdminFixture {
  targetId: string;
  roomId: string;
  messageId: string;
  inviteId: string;
  /** An emoji the admin added. */
  emojiId: string;
  /** A finished picture upload of the actor's. */
  fileId: string;
}

interface AdminAction {
  name: string;
  allowed: ServerRoleName[];
  run(c: ParleyClient, f: AdminFixture): Promise<unknown>;
  /** Who may add custom emoji while this row runs (the admin sets it before, and back to `admins` after). */
  emojiUploads?: CustomEmojiUploads;
}

const ADMIN_ACTIONS: AdminAction[] = [
  { name: 'list users', allowed: STAFF, run: (c) => c.admin.users() },
  { name: 'view a user', allowed: STAFF, run: (c, f) => c.admin.user(f.targetId) },
  { name: 'suspend', allowed: STAFF, run: (c, f) => c.admin.suspend(f.targetId, 'matrix') },
  { name: 'unsuspend', allowed: STAFF, run: (c, f) => c.admin.unsuspend(f.targetId) },
  { name: 'reset sessions', allowed: ['admin'], run: (c, f) => c.admin.resetSessions(f.targetId) },
  { name: 'change a server role', allowed: ['admin'], run: (c, f) => c.admin.setRole(f.targetId, 'moderator') },
  { name: 'delete a user', allowed: ['admin'], run: (c, f) => c.admin.deleteUser(f.targetId) },
  { name: 'list rooms', allowed: STAFF, run: (c) => c.admin.rooms() },
  { name: 'archive a room', allowed: ['admin'], run: (c, f) => c.admin.updateRoom(f.roomId, { archived: true }) },
  { name: 'change a room owner', allowed: ['admin'], run: (c, f) => c.admin.updateRoom(f.roomId, { ownerId: f.targetId }) },
  { name: 'set room retention', allowed: ['admin'], run: (c, f) => c.admin.updateRoom(f.roomId, { retentionDays: 7 }) },
  { name: 'delete a room', allowed: ['admin'], run: (c, f) => c.admin.deleteRoom(f.roomId) },
  { name: 'remove a message in a public room', allowed: STAFF, run: (c, f) => c.admin.removeMessage(f.roomId, f.messageId) },
  { name: 'remove a member of a public room', allowed: STAFF, run: (c, f) => c.admin.removeMember(f.roomId, f.targetId) },
  { name: 'read settings', allowed: ['admin'], run: (c) => c.admin.settings() },
  { name: 'change settings', allowed: ['admin'], run: (c) => c.admin.updateSettings({ retentionDays: null }) },
  { name: 'list invites', allowed: ['admin'], run: (c) => c.admin.invites() },
  { name: 'create an invite', allowed: ['admin'], run: (c) => c.admin.createInvite() },
  { name: 'revoke an invite', allowed: ['admin'], run: (c, f) => c.admin.revokeInvite(f.inviteId) },
  { name: 'read stats', allowed: ['admin'], run: (c) => c.admin.stats() },
  { name: 'read the audit log', allowed: ['admin'], run: (c) => c.admin.audit() },
  { name: 'list custom emoji', allowed: SERVER_ROLES, run: (c) => c.emoji.list() },
  { name: "load a custom emoji's image", allowed: SERVER_ROLES, run: (c, f) => fetchFile(c, emojiImagePath(f.emojiId)) },
  {
    name: 'add a custom emoji (uploads for admins)',
    allowed: ['admin'],
    run: (c, f) => c.emoji.create({ shortName: cid(), fileId: f.fileId }),
    emojiUploads: 'admins',
  },
  {
    name: 'add a custom emoji (uploads for everyone)',
    allowed: SERVER_ROLES,
    run: (c, f) => c.emoji.create({ shortName: cid(), fileId: f.fileId }),
    emojiUploads: 'everyone',
  },
  { name: 'rename a custom emoji', allowed: ['admin'], run: (c, f) => c.emoji.rename(f.emojiId, { shortName: cid() }) },
  {
    name: 'rename a custom emoji (uploads for everyone)',
    allowed: ['admin'],
    run: (c, f) => c.emoji.rename(f.emojiId, { shortName: cid() }),
    emojiUploads: 'everyone',
  },
  { name: 'delete a custom emoji', allowed: ['admin'], run: (c, f) => c.emoji.delete(f.emojiId) },
  {
    name: 'delete a custom emoji (uploads for everyone)',
    allowed: ['admin'],
    run: (c, f) => c.emoji.delete(f.emojiId),
    emojiUploads: 'everyone',
  },
];

for (const dialect of DIALECTS) {
  describe(`server roles on ${dialect}`, () => {
    let ts: TestServer;
    const staff = {} as Record<ServerRoleName, Awaited<ReturnType<typeof signUp>>>;
    let picture: Buffer;

    beforeAll(async () => {
      picture = await sharp({ create: { width: 64, height: 64, channels: 4, background: '#e9c46a' } })
        .png()
        .toBuffer();
      ts = await startTestServer(dialect, { ACTION_BURST: '100000', ACTION_RATE_PER_SECOND: '100000' });
      // The first account of a fresh server is its admin.
      staff.admin = await signUp(ts, 'sadmin');
      staff.moderator = await signUp(ts, 'smod');
      staff.user = await signUp(ts, 'suser');
      await staff.admin.client.admin.setRole(staff.moderator.user.id, 'moderator');
    });
    afterAll(async () => {
      await ts.close();
    });

    const uploadPicture = (token: string) =>
      uploadFile({ baseUrl: ts.url, token }, picture, { filename: 'emoji.png', purpose: 'attachment' });

    async function fixture(actor: { token: string } = staff.user): Promise<AdminFixture> {
      const owner = await signUp(ts, 'sowner');
      const target = await signUp(ts, 'starget');
      const room = await owner.client.chats.create({
        kind: 'room',
        name: 'Matrix room',
        handle: `mx${cid()}`.slice(0, 32),
        memberIds: [target.user.id],
      });
      const message = await target.client.messages.send(room.id, { clientId: cid(), text: 'in the room' });
      const invite = await staff.admin.client.admin.createInvite();
      const emoji = await staff.admin.client.emoji.create({ shortName: cid(), fileId: await uploadPicture(staff.admin.token) });
      return {
        targetId: target.user.id,
        roomId: room.id,
        messageId: message.id,
        inviteId: invite.id,
        emojiId: emoji.id,
        fileId: await uploadPicture(actor.token),
      };
    }

    it('answers every admin route by server role: users 403, moderators only their part, admins all', { timeout: 180_000 }, async () => {
      const table: Record<string, Record<ServerRoleName, string>> = {};
      const expected: Record<string, Record<ServerRoleName, string>> = {};
      for (const action of ADMIN_ACTIONS) {
        const got = {} as Record<ServerRoleName, string>;
        const want = {} as Record<ServerRoleName, string>;
        if (action.emojiUploads) await staff.admin.client.admin.updateSettings({ customEmojiUploads: action.emojiUploads });
        // Each role gets targets of its own (people, room, message, emoji): the roles run side by side.
        await Promise.all(
          SERVER_ROLES.map(async (role) => {
            got[role] = await outcome(action.run(staff[role].client, await fixture(staff[role])));
            want[role] = action.allowed.includes(role) ? 'ok' : 'forbidden';
          }),
        );
        if (action.emojiUploads) await staff.admin.client.admin.updateSettings({ customEmojiUploads: 'admins' });
        table[action.name] = got;
        expected[action.name] = want;
      }
      expect(table).toEqual(expected);
    });

    it('answers 401 to every admin route without credentials', async () => {
      const f = await fixture();
      for (const action of ADMIN_ACTIONS) expect(await outcome(action.run(ts.client(), f)), action.name).toBe('unauthenticated');
    });
  });
}
