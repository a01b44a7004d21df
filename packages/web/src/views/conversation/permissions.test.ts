import type { ChatMember, Message } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import {
  canAddMembers,
  canDeleteChat,
  canDeleteMessage,
  canEditChat,
  canEditMessage,
  canRemoveMember,
  canReplyPrivately,
  canSetRole,
  privatePeerOf,
} from './permissions.js';

const ME = 'me';
const group = { kind: 'group' as const, role: 'member' as const, membersCanEdit: false, membersCanAdd: false };
const message = (overrides: Partial<Message> = {}) =>
  ({ kind: 'text', senderId: 'ann', privateTo: null, deletedAt: null, ...overrides }) as Message;
const member = (id: string, role: ChatMember['role']) => ({ user: { id }, role }) as ChatMember;

describe('what the app offers', () => {
  it('edits only our own live text messages', () => {
    expect(canEditMessage(message({ senderId: ME }), ME)).toBe(true);
    expect(canEditMessage(message(), ME)).toBe(false);
    expect(canEditMessage(message({ senderId: ME, deletedAt: 'x' }), ME)).toBe(false);
    expect(canEditMessage(message({ senderId: ME, kind: 'system' }), ME)).toBe(false);
  });

  it('deletes our own messages, and others’ public ones as a group admin — never in a direct chat', () => {
    expect(canDeleteMessage(message({ senderId: ME }), group, ME)).toBe(true);
    expect(canDeleteMessage(message(), group, ME)).toBe(false);
    expect(canDeleteMessage(message(), { ...group, role: 'admin' }, ME)).toBe(true);
    expect(canDeleteMessage(message({ privateTo: 'bob' }), { ...group, role: 'owner' }, ME)).toBe(false);
    expect(canDeleteMessage(message(), { ...group, kind: 'direct', role: 'owner' }, ME)).toBe(false);
  });

  it('replies privately only to someone else in a group or room, and keeps a private thread private', () => {
    expect(canReplyPrivately(message(), group, ME)).toBe(true);
    expect(canReplyPrivately(message({ senderId: ME }), group, ME)).toBe(false);
    expect(canReplyPrivately(message(), { ...group, kind: 'direct' }, ME)).toBe(false);
    expect(privatePeerOf(message({ privateTo: ME }), ME)).toBe('ann');
    expect(privatePeerOf(message({ senderId: ME, privateTo: 'bob' }), ME)).toBe('bob');
    expect(privatePeerOf(message(), ME)).toBeNull();
  });

  it('lets managers (or everyone, when the chat allows) edit and add; only the owner changes roles or deletes', () => {
    expect(canEditChat(group)).toBe(false);
    expect(canEditChat({ ...group, membersCanEdit: true })).toBe(true);
    expect(canAddMembers({ ...group, role: 'admin' })).toBe(true);
    expect(canSetRole({ ...group, role: 'admin' }, member('bob', 'member'))).toBe(false);
    expect(canSetRole({ ...group, role: 'owner' }, member('bob', 'admin'))).toBe(true);
    expect(canDeleteChat({ ...group, role: 'owner' })).toBe(true);
    expect(canDeleteChat({ ...group, kind: 'direct', role: 'owner' })).toBe(false);
  });

  it('removes members by rank: the owner anyone, an admin plain members, nobody themselves', () => {
    expect(canRemoveMember({ ...group, role: 'owner' }, member('bob', 'admin'), ME)).toBe(true);
    expect(canRemoveMember({ ...group, role: 'admin' }, member('bob', 'admin'), ME)).toBe(false);
    expect(canRemoveMember({ ...group, role: 'admin' }, member('bob', 'member'), ME)).toBe(true);
    expect(canRemoveMember({ ...group, role: 'owner' }, member(ME, 'owner'), ME)).toBe(false);
  });
});
