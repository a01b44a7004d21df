/**
 * The hub delivers bus messages to the sockets this instance holds. It keeps, for the
 * users connected here, which chats they belong to, and follows membership events to
 * keep that current — so fan-out needs no database query per event. Messages are
 * processed strictly in arrival order; a user whose chat list is still loading has
 * the membership events of that window replayed on top of the loaded list.
 */
import { CLOSE_CODES, type EventFrame } from '@parley/protocol';

/** Serialises a frame once; the same bytes go to every socket that receives it. */
export const encodeFrame = (frame: EventFrame): Buffer => Buffer.from(JSON.stringify(frame));

import type { BusMessage, EphemeralEvent, EventBus, StoredEvent } from './bus.js';

/** What the hub needs from a socket session. */
export interface HubSession {
  userId: string;
  sessionId: string;
  /** `encoded` is the JSON text of an event frame, serialised once for every recipient. */
  deliver(encoded: Buffer, eventId: number | null): void;
  close(code: number, reason: string): void;
}

interface LocalUser {
  sessions: Set<HubSession>;
  chats: Set<string>;
  /** Membership events seen while the chat list was loading; null once loaded. */
  pending: StoredEvent[] | null;
}

interface MembershipData {
  chatId?: string;
  userId?: string;
  members?: Array<{ user: { id: string } }>;
}

export class Hub {
  private readonly users = new Map<string, LocalUser>();
  private readonly chatUsers = new Map<string, Set<string>>();
  private readonly unsubscribe: () => void;

  constructor(
    bus: EventBus,
    private readonly loadChatIds: (userId: string) => Promise<string[]>,
  ) {
    this.unsubscribe = bus.subscribe((message) => this.receive(message));
  }

  /** Registers a session; resolves once its user's chats are indexed. */
  async attach(session: HubSession): Promise<void> {
    let user = this.users.get(session.userId);
    if (user) {
      user.sessions.add(session);
      while (user.pending) await new Promise((resolve) => setTimeout(resolve, 5));
      return;
    }
    user = { sessions: new Set([session]), chats: new Set(), pending: [] };
    this.users.set(session.userId, user);
    try {
      for (const chatId of await this.loadChatIds(session.userId)) this.index(session.userId, chatId);
    } finally {
      const pending = user.pending ?? [];
      user.pending = null;
      for (const event of pending) this.applyMembership(event);
    }
  }

  detach(session: HubSession): void {
    const user = this.users.get(session.userId);
    if (!user) return;
    user.sessions.delete(session);
    if (user.sessions.size > 0) return;
    for (const chatId of user.chats) this.chatUsers.get(chatId)?.delete(session.userId);
    this.users.delete(session.userId);
  }

  sessionsOf(userId: string): HubSession[] {
    return [...(this.users.get(userId)?.sessions ?? [])];
  }

  get connectionCount(): number {
    let count = 0;
    for (const user of this.users.values()) count += user.sessions.size;
    return count;
  }

  closeAll(code: number, reason: string): void {
    for (const user of this.users.values()) for (const session of user.sessions) session.close(code, reason);
  }

  stop(): void {
    this.unsubscribe();
  }

  private receive(message: BusMessage): void {
    if (message.kind === 'stored') this.deliverStored(message);
    else if (message.kind === 'ephemeral') this.deliverEphemeral(message);
    else this.endSessions(message.userId, message.sessionIds);
  }

  private endSessions(userId: string, sessionIds: string[]): void {
    for (const session of this.sessionsOf(userId)) {
      if (sessionIds.includes(session.sessionId)) session.close(CLOSE_CODES.sessionEnded, 'session ended');
    }
  }

  private deliverStored(event: StoredEvent): void {
    // Joins are indexed before delivery (the newcomer sees their own join)…
    if (event.name === 'member.joined' || event.name === 'chat.created') this.applyMembership(event);
    const encoded = encodeFrame({ type: 'event', event: event.name, cursor: String(event.id), data: event.data });
    // The member set is walked in place (no copy per event); the addressed user is
    // added only if the walk did not already reach them.
    const members = event.chatId ? this.chatUsers.get(event.chatId) : undefined;
    const deliverTo = (userId: string) => {
      if (event.privateTo && !event.privateTo.includes(userId)) return;
      for (const session of this.users.get(userId)?.sessions ?? []) session.deliver(encoded, event.id);
    };
    if (members) for (const userId of members) deliverTo(userId);
    if (event.targetUserId && !members?.has(event.targetUserId)) deliverTo(event.targetUserId);
    // …departures after it (the one leaving hears they left, then nothing more).
    if (event.name === 'member.left' || event.name === 'chat.deleted') this.applyMembership(event);
  }

  private deliverEphemeral(event: EphemeralEvent): void {
    const encoded = encodeFrame({ type: 'event', event: event.name, data: event.data });
    const recipients = event.userIds ?? [...(event.chatId ? (this.chatUsers.get(event.chatId) ?? []) : [])];
    for (const userId of recipients) {
      if (userId === event.exceptUserId) continue;
      for (const session of this.users.get(userId)?.sessions ?? []) session.deliver(encoded, null);
    }
  }

  private applyMembership(event: StoredEvent): void {
    const data = event.data as MembershipData;
    const joining = event.name === 'member.joined' || event.name === 'chat.created';
    const affected = joining
      ? (data.members ?? []).map((m) => m.user.id)
      : event.name === 'member.left'
        ? [data.userId ?? '']
        : [event.targetUserId ?? ''];
    const chatId = data.chatId ?? event.chatId ?? '';
    for (const userId of affected) {
      const user = this.users.get(userId);
      if (!user) continue;
      if (user.pending) user.pending.push(event);
      if (joining) this.index(userId, chatId);
      else this.unindex(userId, chatId);
    }
  }

  private index(userId: string, chatId: string): void {
    this.users.get(userId)?.chats.add(chatId);
    let set = this.chatUsers.get(chatId);
    if (!set) {
      set = new Set();
      this.chatUsers.set(chatId, set);
    }
    set.add(userId);
  }

  private unindex(userId: string, chatId: string): void {
    this.users.get(userId)?.chats.delete(chatId);
    const set = this.chatUsers.get(chatId);
    set?.delete(userId);
    if (set && set.size === 0) this.chatUsers.delete(chatId);
  }
}
