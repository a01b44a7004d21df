import type { ChatMember, Message } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { mayModerateChat, mayRemoveMemberAsModerator, mayRemoveMessageAsModerator } from './moderation.js';

const ME = 'me';
const room = { kind: 'room' as const };
const group = { kind: 'group' as const };
const direct = { kind: 'direct' as const };
const message = (overrides: Partial<Message> = {}) =>
  ({ kind: 'text', senderId: 'ann', privateTo: null, deletedAt: null, ...overrides }) as Message;
const member = (id: string, role: ChatMember['role']) => ({ user: { id }, role }) as ChatMember;

describe('what the app offers server moderators in a chat', () => {
  it('lets moderators act in public rooms, admins in groups too, and nobody in direct chats or as a plain user', () => {
    expect(mayModerateChat(room, 'moderator')).toBe(true);
    expect(mayModerateChat(group, 'moderator')).toBe(false);
    expect(mayModerateChat(group, 'admin')).toBe(true);
    expect(mayModerateChat(direct, 'admin')).toBe(false);
    expect(mayModerateChat(room, 'user')).toBe(false);
  });

  it('removes someone else’s live text message only', () => {
    expect(mayRemoveMessageAsModerator(message(), room, 'moderator', ME)).toBe(true);
    expect(mayRemoveMessageAsModerator(message({ senderId: ME }), room, 'moderator', ME)).toBe(false);
    expect(mayRemoveMessageAsModerator(message({ deletedAt: 'x' }), room, 'moderator', ME)).toBe(false);
    expect(mayRemoveMessageAsModerator(message({ kind: 'system' }), room, 'moderator', ME)).toBe(false);
    expect(mayRemoveMessageAsModerator(message(), group, 'moderator', ME)).toBe(false);
  });

  it('removes members but never themself or the owner', () => {
    expect(mayRemoveMemberAsModerator(room, member('ann', 'member'), 'moderator', ME)).toBe(true);
    expect(mayRemoveMemberAsModerator(room, member('ann', 'admin'), 'moderator', ME)).toBe(true);
    expect(mayRemoveMemberAsModerator(room, member('ann', 'owner'), 'moderator', ME)).toBe(false);
    expect(mayRemoveMemberAsModerator(room, member(ME, 'member'), 'moderator', ME)).toBe(false);
    expect(mayRemoveMemberAsModerator(room, member('ann', 'member'), 'user', ME)).toBe(false);
  });
});
