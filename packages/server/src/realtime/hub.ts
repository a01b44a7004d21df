/**
 * The hub delivers bus messages to the sockets this instance holds, each stream in
 * order. For every stream some local user follows it keeps the next position it expects:
 * an event that arrives early (another pooled connection or instance published first)
 * is held, and a gap that the bus does not fill soon is filled from the event log — by
 * the time an event is published every earlier position of its stream is committed, so
 * the log always has it. Duplicates are dropped. Membership is followed from the
 * membership events themselves, in stream order: a member sees the stream from the
 * position of their join, and the one who leaves hears it, then nothing more; a chat's
 * deletion is the last event of its stream.
 */
import { CLOSE_CODES, chatOfStream, chatStream, type StreamKey, userStream } from '@parley/protocol';
import type { BusMessage, EphemeralEvent, EventBus, StoredEvent } from './bus.js';
import { storedEventFrame } from './frame-json.js';

/** Serialises a frame once; the same bytes go to every socket that receives it. */
export const encodeFrame = (frame: object): Buffer => Buffer.from(JSON.stringify(frame));

/** What the hub needs from a socket session. */
export interface HubSession {
  userId: string;
  sessionId: string;
  /** `encoded` is a JSON frame; `stream` and `seq` are null/0 for typing and presence. */
  deliver(encoded: Buffer, stream: StreamKey | null, seq: number): void;
  close(code: number, reason: string): void;
}

/** What the hub reads from storage. */
export interface HubStorage {
  chatIdsOf(userId: string): Promise<string[]>;
  membershipHeads(userId: string, chatIds: string[]): Promise<Array<{ chatId: string; head: number; member: boolean; joinedSeq: number }>>;
  userHead(userId: string): Promise<number>;
  read(stream: StreamKey, afterSeq: number, limit: number): Promise<StoredEvent[]>;
}

/** Counts for /metrics. */
export interface HubObserver {
  delivered(frames: number): void;
  skipped(frames: number): void;
  gapFilled(): void;
  /** Seconds from an event's commit to its hand-over to the sockets here. */
  lag(seconds: number): void;
}

interface StreamState {
  /** Every position before this one has been delivered. */
  next: number;
  /** Local users following the stream, and the first position each may see. */
  members: Map<string, number>;
  /** Arrivals ahead of `next`. */
  early: Map<number, StoredEvent>;
  /** Events that arrived before the stream's head was known; null once it is. */
  pending: StoredEvent[] | null;
  fillTimer: NodeJS.Timeout | null;
  filling: boolean;
}

interface LocalUser {
  sessions: Set<HubSession>;
  streams: Set<StreamKey>;
  /** Membership events about this user seen while their streams loaded; null once loaded. */
  seenWhileLoading: StoredEvent[] | null;
  ready: Promise<void>;
}

interface MembershipData {
  chatId?: string;
  userId?: string;
  members?: Array<{ user: { id: string } }>;
}

/** How long a gap may wait for the bus before it is read from the log. */
const GAP_WAIT_MS = 25;
const FILL_PAGE = 500;

const JOIN_EVENTS: ReadonlySet<string> = new Set(['member.joined', 'chat.created']);
const isJoin = (event: StoredEvent) => JOIN_EVENTS.has(event.name);
const joinersOf = (event: StoredEvent) => ((event.data as MembershipData).members ?? []).map((m) => m.user.id);

export class Hub {
  private readonly users = new Map<string, LocalUser>();
  private readonly streams = new Map<StreamKey, StreamState>();
  private readonly unsubscribe: () => void;

  constructor(
    bus: EventBus,
    private readonly storage: HubStorage,
    private readonly observer: HubObserver = { delivered() {}, skipped() {}, gapFilled() {}, lag() {} },
    private readonly log: { warn(obj: object, msg: string): void } = { warn() {} },
  ) {
    // Stored events of streams nobody here follows are not even parsed, except joins (a
    // local user may be joining); `accept` would drop them anyway.
    this.unsubscribe = bus.subscribe(
      (message) => this.receive(message),
      (route) => route.kind !== 'stored' || (route.stream !== null && this.streams.has(route.stream)) || JOIN_EVENTS.has(route.name),
    );
  }

  /** Registers a session; resolves once its user's streams are followed. */
  async attach(session: HubSession): Promise<void> {
    const existing = this.users.get(session.userId);
    if (existing) {
      existing.sessions.add(session);
      return existing.ready;
    }
    const user: LocalUser = { sessions: new Set([session]), streams: new Set(), seenWhileLoading: [], ready: Promise.resolve() };
    this.users.set(session.userId, user);
    user.ready = this.load(session.userId, user);
    return user.ready;
  }

  detach(session: HubSession): void {
    const user = this.users.get(session.userId);
    if (!user) return;
    user.sessions.delete(session);
    if (user.sessions.size > 0) return;
    this.users.delete(session.userId);
    for (const stream of user.streams) this.unfollow(stream, session.userId);
  }

  sessionsOf(userId: string): HubSession[] {
    return [...(this.users.get(userId)?.sessions ?? [])];
  }

  /** The newest position of `stream` delivered here, or null if no local user follows it. */
  deliveredUpTo(stream: StreamKey): number | null {
    const state = this.streams.get(stream);
    return state && !state.pending ? state.next - 1 : null;
  }

  get connectionCount(): number {
    let count = 0;
    for (const user of this.users.values()) count += user.sessions.size;
    return count;
  }

  stop(): void {
    this.unsubscribe();
    for (const state of this.streams.values()) if (state.fillTimer) clearTimeout(state.fillTimer);
  }

  /**
   * Follows the user's streams. Streams nobody here followed are created before their
   * heads are read, so nothing published meanwhile is missed; membership and heads are
   * read in one statement, and membership events seen during the load are applied after.
   */
  private async load(userId: string, user: LocalUser): Promise<void> {
    const created: StreamKey[] = [];
    try {
      const chatIds = await this.storage.chatIdsOf(userId);
      for (const stream of [userStream(userId), ...chatIds.map(chatStream)]) {
        if (this.streams.has(stream)) continue;
        this.streams.set(stream, this.newState(0, []));
        created.push(stream);
      }
      const [heads, userHead] = await Promise.all([this.storage.membershipHeads(userId, chatIds), this.storage.userHead(userId)]);
      const headOf = new Map<StreamKey, number>(heads.map((h) => [chatStream(h.chatId), h.head]));
      headOf.set(userStream(userId), userHead);
      if (this.users.get(userId) === user) {
        this.follow(userStream(userId), userId, 0, userHead);
        for (const h of heads) if (h.member) this.follow(chatStream(h.chatId), userId, h.joinedSeq, h.head);
        // Joins and departures that streams already followed here processed during the
        // load, later than what was read, apply now; the new streams' own wait in order.
        const seen = user.seenWhileLoading ?? [];
        user.seenWhileLoading = null;
        for (const event of seen) {
          const head = headOf.get(event.stream);
          if (head === undefined || head < event.seq) this.applyMembership(event, userId);
        }
      }
      for (const stream of created) this.initialise(stream, headOf.get(stream));
    } catch (error) {
      for (const stream of created) if (this.streams.get(stream)?.pending) this.streams.delete(stream);
      user.seenWhileLoading = null;
      throw error;
    }
  }

  private newState(next: number, pending: StoredEvent[] | null): StreamState {
    return { next, members: new Map(), early: new Map(), pending, fillTimer: null, filling: false };
  }

  /** The head is known: events kept meanwhile are processed from there on. */
  private initialise(stream: StreamKey, head: number | undefined): void {
    const state = this.streams.get(stream);
    if (!state?.pending) return;
    const pending = state.pending;
    state.pending = null;
    state.next = (head ?? 0) + 1;
    for (const event of pending) this.accept(event);
    if (state.members.size === 0 && state.early.size === 0) this.dropIfUnfollowed(stream);
  }

  /**
   * `head`: a position known to be committed. A stream nobody follows any more may have
   * been dropped meanwhile; it starts again there, and the log is read for anything newer.
   */
  private follow(stream: StreamKey, userId: string, fromSeq: number, head: number): void {
    const user = this.users.get(userId);
    if (!user) return;
    let state = this.streams.get(stream);
    if (!state) {
      state = this.newState(head + 1, null);
      this.streams.set(stream, state);
      this.scheduleFill(stream, state, 0);
    }
    state.members.set(userId, fromSeq);
    user.streams.add(stream);
  }

  private unfollow(stream: StreamKey, userId: string): void {
    this.users.get(userId)?.streams.delete(stream);
    const state = this.streams.get(stream);
    if (!state) return;
    state.members.delete(userId);
    this.dropIfUnfollowed(stream);
  }

  private dropIfUnfollowed(stream: StreamKey): void {
    const state = this.streams.get(stream);
    if (!state || state.members.size > 0 || state.pending) return;
    // A stream some loading user is about to follow stays.
    for (const user of this.users.values()) if (user.seenWhileLoading && user.streams.has(stream)) return;
    if (state.fillTimer) clearTimeout(state.fillTimer);
    this.streams.delete(stream);
  }

  private receive(message: BusMessage): void {
    if (message.kind === 'stored') this.accept(message);
    else if (message.kind === 'ephemeral') this.deliverEphemeral(message);
    else this.endSessions(message.userId, message.sessionIds);
  }

  private endSessions(userId: string, sessionIds: string[]): void {
    for (const session of this.sessionsOf(userId)) {
      if (sessionIds.includes(session.sessionId)) session.close(CLOSE_CODES.sessionEnded, 'session ended');
    }
  }

  /** Takes an event from the bus or the log: delivers it in order, holds it, or drops a duplicate. */
  private accept(event: StoredEvent): void {
    let state = this.streams.get(event.stream);
    if (!state) {
      // A stream nobody here follows matters only if a local user just joined it; what
      // arrived before this join was dropped, so the log is read for anything after it.
      if (!isJoin(event) || !joinersOf(event).some((id) => this.users.has(id))) return;
      state = this.newState(event.seq, null);
      this.streams.set(event.stream, state);
      this.scheduleFill(event.stream, state, 0);
    }
    if (state.pending) {
      state.pending.push(event);
      return;
    }
    if (event.seq < state.next) return;
    if (event.seq > state.next) {
      state.early.set(event.seq, event);
      this.scheduleFill(event.stream, state, GAP_WAIT_MS);
      return;
    }
    this.process(state, event);
    this.drain(event.stream, state);
  }

  /** Delivers the held events that are now next in line. */
  private drain(stream: StreamKey, state: StreamState): void {
    for (let event = state.early.get(state.next); event; event = state.early.get(state.next)) {
      state.early.delete(event.seq);
      this.process(state, event);
    }
    if (state.early.size === 0 && state.fillTimer) {
      clearTimeout(state.fillTimer);
      state.fillTimer = null;
    }
    if (this.streams.get(stream) === state) this.dropIfUnfollowed(stream);
  }

  private scheduleFill(stream: StreamKey, state: StreamState, delayMs: number): void {
    if (state.fillTimer || state.filling) return;
    state.fillTimer = setTimeout(() => {
      state.fillTimer = null;
      void this.fill(stream, state);
    }, delayMs);
    state.fillTimer.unref?.();
  }

  /** Reads the stream from the log after the last delivered position until the held events connect. */
  private async fill(stream: StreamKey, state: StreamState): Promise<void> {
    state.filling = true;
    try {
      for (;;) {
        // A read sees what was committed when it began. Only an event held before then
        // proves its predecessors are in what the read returns; one that arrives during
        // the read may follow positions committed after it began.
        const heldBeforeRead = new Set(state.early.keys());
        const events = await this.storage.read(stream, state.next - 1, FILL_PAGE);
        if (this.streams.get(stream) !== state) return;
        this.observer.gapFilled();
        for (const event of events) if (event.seq >= state.next) state.early.set(event.seq, event);
        this.drain(stream, state);
        if (this.streams.get(stream) !== state) return;
        if (events.length === FILL_PAGE) continue;
        if (state.early.size === 0) return;
        const oldest = Math.min(...state.early.keys());
        if (!heldBeforeRead.has(oldest)) continue;
        // Every position before a published one is committed, so what the log lacks was
        // pruned or deleted with its chat: move on to the oldest held event.
        this.log.warn({ stream, from: state.next, to: oldest - 1 }, 'stream positions missing from the event log');
        state.next = oldest;
        this.drain(stream, state);
        return;
      }
    } catch (error) {
      this.log.warn({ err: error, stream }, 'filling a stream gap failed; retrying');
      state.filling = false;
      this.scheduleFill(stream, state, 500);
    } finally {
      state.filling = false;
    }
  }

  private process(state: StreamState, event: StoredEvent): void {
    state.next = event.seq + 1;
    // Joins are applied before delivery (the newcomer sees their own join)…
    if (isJoin(event)) for (const userId of joinersOf(event)) this.applyMembership(event, userId);
    this.deliverStored(state, event);
    // …departures after it (the one leaving hears they left, then nothing more).
    if (event.name === 'member.left') {
      const userId = (event.data as MembershipData).userId;
      if (userId) this.applyMembership(event, userId);
    }
    // …and a deleted chat's stream ends with its deletion, heard by every member.
    if (event.name === 'chat.deleted') for (const userId of [...state.members.keys()]) this.unfollow(event.stream, userId);
  }

  /** Applies a join or a departure of one local user (or notes it while their streams load). */
  private applyMembership(event: StoredEvent, userId: string): void {
    const user = this.users.get(userId);
    if (!user) return;
    if (user.seenWhileLoading) {
      user.seenWhileLoading.push(event);
      return;
    }
    const stream = event.stream;
    if (isJoin(event)) {
      const state = this.streams.get(stream);
      if (!state?.members.has(userId)) this.follow(stream, userId, event.seq, event.seq);
    } else if (chatOfStream(stream)) this.unfollow(stream, userId);
  }

  private deliverStored(state: StreamState, event: StoredEvent): void {
    let encoded: Buffer | null = null;
    let skip: Buffer | null = null;
    let delivered = 0;
    let skipped = 0;
    for (const [userId, fromSeq] of state.members) {
      if (event.seq < fromSeq) continue;
      const sessions = this.users.get(userId)?.sessions;
      if (!sessions || sessions.size === 0) continue;
      const hidden = event.privateTo !== null && !event.privateTo.includes(userId);
      if (hidden) skip ??= encodeFrame({ type: 'skip', stream: event.stream, seq: event.seq });
      else encoded ??= storedEventFrame(event.name, event.stream, event.seq, event.data);
      const frame = hidden ? (skip as Buffer) : (encoded as Buffer);
      for (const session of sessions) session.deliver(frame, event.stream, event.seq);
      if (hidden) skipped += sessions.size;
      else delivered += sessions.size;
    }
    if (delivered) this.observer.delivered(delivered);
    if (skipped) this.observer.skipped(skipped);
    if (event.committedAt !== undefined && delivered + skipped > 0) this.observer.lag((Date.now() - event.committedAt) / 1000);
  }

  private deliverEphemeral(event: EphemeralEvent): void {
    const encoded = encodeFrame({ type: 'event', event: event.name, data: event.data });
    const recipients = event.everyone
      ? [...this.users.keys()]
      : (event.userIds ?? [...(event.chatId ? (this.streams.get(chatStream(event.chatId))?.members.keys() ?? []) : [])]);
    let delivered = 0;
    for (const userId of recipients) {
      if (userId === event.exceptUserId) continue;
      for (const session of this.users.get(userId)?.sessions ?? []) {
        session.deliver(encoded, null, 0);
        delivered += 1;
      }
    }
    if (delivered) this.observer.delivered(delivered);
  }
}
