/**
 * The WebSocket half of the SDK: one connection that says hello, resumes every stream
 * from its last position after each reconnect (with backoff), matches replies to
 * commands, and keeps an outbox so a message sent while offline goes out once when the
 * socket is back. Events reach listeners once each, in order within their stream.
 */
import {
  type CommandName,
  type ErrorFrame,
  type EventFrame,
  type EventName,
  HELLO_MAX_STREAMS,
  type HelloResult,
  type Message,
  type SendMessageParams,
  type ServerFrame,
  type StreamKey,
  WS_PATH,
} from '@parley/protocol';
import { ParleyApiError } from './http.js';

/** The subset of the WebSocket API used here; browsers' and the `ws` package's both fit. */
export interface SocketLike {
  readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
  onclose: ((event: { code: number; reason: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
}

export type SocketFactory = (url: string) => SocketLike;

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface RealtimeOptions {
  /** http(s) origin of the server; the socket URL is derived from it. */
  baseUrl: string;
  token?: string | null;
  /** Resume from these positions on the first connect (e.g. `positions` saved by the app). */
  streams?: Record<string, number>;
  createSocket?: SocketFactory;
  /** Reconnect with exponential backoff after an unexpected close. Default true. */
  reconnect?: boolean;
  /** Milliseconds to wait for a reply before failing a command. Default 15 s. */
  commandTimeoutMs?: number;
  /**
   * Client heartbeat: after `idleMs` with no frame from the server, send a `ping`; no
   * answer within `timeoutMs` means the network is gone (a browser cannot see the
   * server's WebSocket pings), so the socket is dropped and reconnecting begins. Default
   * 25 s idle, 10 s to answer; pass null to turn it off.
   */
  heartbeat?: { idleMs: number; timeoutMs: number } | null;
  /**
   * Confirm receipt of others' messages (`delivered.mark`, E10) so their senders see
   * "delivered". Default true; at most one confirmation per chat every DELIVERY_BATCH_MS.
   */
  confirmDelivery?: boolean;
}

/** Confirmations of arriving messages are gathered this long, then one per chat is sent. */
const DELIVERY_BATCH_MS = 250;

type Listener = (data: unknown, frame: EventFrame) => void;

/** What a state change comes with. */
export interface StateDetail {
  /** On `closed`: the close code. */
  code?: number;
  /** On `open`: `live` (load everything over REST) or `replayed` (missed events follow). */
  replay?: HelloResult['replay'];
  /** On `open`: streams to reload over REST; their positions are already at the head. */
  reload?: StreamKey[];
  /** On `open`: chats no longer ours (left, removed, deleted); their positions are dropped. */
  gone?: StreamKey[];
}

type StateListener = (state: ConnectionState, detail?: StateDetail) => void;

interface PendingCommand {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

interface OutboxEntry {
  params: SendMessageParams;
  resolve(message: Message): void;
  reject(error: Error): void;
  inFlight: boolean;
}

const FINAL_CLOSE_CODES = new Set([4003]);
/** WebSocket.OPEN, which the `ws` package and browsers share. */
const SOCKET_OPEN = 1;
/** Our own close when a stream skipped a position (a server bug): reconnect and resume. */
const STREAM_GAP_CLOSE = 4000;

export class ParleyRealtime {
  state: ConnectionState = 'closed';
  user: HelloResult['user'] | null = null;
  /**
   * The last seq processed per stream. A Map in order of the latest advance, so a hello
   * that must leave some out (over HELLO_MAX_STREAMS) keeps the most active ones.
   */
  private readonly streamPositions: Map<string, number>;
  private socket: SocketLike | null = null;
  private nextId = 1;
  private pending = new Map<string, PendingCommand>();
  private listeners = new Map<string, Set<Listener>>();
  private stateListeners = new Set<StateListener>();
  private outbox: OutboxEntry[] = [];
  private attempts = 0;
  private stopped = false;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly createSocket: SocketFactory;
  private heartbeatTimer: ReturnType<typeof setTimeout> | null = null;
  private undelivered = new Map<string, number>();
  private deliveryTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly options: RealtimeOptions) {
    this.streamPositions = new Map(Object.entries(options.streams ?? {}));
    this.createSocket =
      options.createSocket ??
      ((url) => {
        const WS = (globalThis as { WebSocket?: new (url: string) => SocketLike }).WebSocket;
        if (!WS) throw new Error('No WebSocket implementation: pass createSocket');
        return new WS(url);
      });
  }

  /** A copy of the last seq processed per stream: what the next hello resumes from. */
  get positions(): Readonly<Record<string, number>> {
    return Object.fromEntries(this.streamPositions);
  }

  get url(): string {
    const base = this.options.baseUrl || (globalThis as { location?: { origin: string } }).location?.origin || '';
    return `${base.replace(/^http/, 'ws')}${WS_PATH}`;
  }

  /** Connects and says hello; resolves with the hello result. */
  connect(): Promise<HelloResult> {
    this.stopped = false;
    return this.open();
  }

  /** Closes for good (no reconnect). Pending commands fail; the outbox is kept. */
  close(): void {
    this.stopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.stopHeartbeat();
    this.socket?.close(1000, 'client closed');
    this.setState('closed');
  }

  /**
   * Skips the rest of the backoff wait and tries to reconnect now (e.g. when the browser
   * reports the network is back, or a person presses "Reconnect"). Does nothing unless
   * a reconnect is waiting.
   */
  reconnectNow(): void {
    if (this.stopped || this.state !== 'reconnecting' || this.socket || !this.reconnectTimer) return;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.open().catch(() => {
      // onclose schedules the next attempt.
    });
  }

  /**
   * The network is known to be gone (the browser said `offline`): give up the socket now
   * instead of waiting for the heartbeat, and reconnect with backoff as after any loss.
   */
  dropConnection(): void {
    const socket = this.socket;
    if (this.stopped || !socket) return;
    socket.onclose?.({ code: 4000, reason: 'network lost' });
    socket.close(4000, 'network lost');
  }

  on(event: EventName | '*', listener: Listener): () => void {
    const set = this.listeners.get(event) ?? new Set();
    set.add(listener);
    this.listeners.set(event, set);
    return () => set.delete(listener);
  }

  /**
   * Listens to connection changes. `open` is reported synchronously as the hello reply is
   * read, before any replayed event: a listener can start its reloads and hold events.
   */
  onState(listener: StateListener): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** Sends one command; resolves with its result or rejects with a ParleyApiError. */
  call<T = unknown>(cmd: Exclude<CommandName, 'hello'>, params: object = {}): Promise<T> {
    if (this.state !== 'open' || !this.socket) {
      return Promise.reject(new ParleyApiError(0, 'network_error', 'Not connected'));
    }
    return this.rawCall<T>(this.socket, cmd, params);
  }

  /**
   * Sends a message exactly once: queued while offline, retried with the same clientId
   * after a reconnect (the server returns the original instead of a duplicate).
   */
  sendMessage(params: SendMessageParams): Promise<Message> {
    return new Promise((resolve, reject) => {
      this.outbox.push({ params, resolve, reject, inFlight: false });
      this.flushOutbox();
    });
  }

  /** Messages not yet acknowledged by the server. */
  get unsent(): SendMessageParams[] {
    return this.outbox.map((entry) => entry.params);
  }

  /**
   * `timeoutMs: null` waits for the reply or the socket's end: used for outbox sends,
   * whose reply may queue behind many others and must never be given up while the
   * socket lives (a retry then could not tell whether the first one landed).
   */
  private rawCall<T>(
    socket: SocketLike,
    cmd: string,
    params: object,
    timeoutMs: number | null = this.options.commandTimeoutMs ?? 15_000,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) =>
      this.sendCommand(socket, cmd, params, timeoutMs, { resolve: resolve as (v: unknown) => void, reject }),
    );
  }

  /** `reply.resolve` runs synchronously as the reply frame is read, before the next frame. */
  private sendCommand(socket: SocketLike, cmd: string, params: object, timeoutMs: number | null, reply: Omit<PendingCommand, 'timer'>) {
    // A socket the server is closing (4003 on suspension or sign-out elsewhere) stays CLOSING
    // until the handshake ends; sending then only makes the browser log an error. Sends are
    // retried after a reconnect like any other lost connection.
    if (socket.readyState !== SOCKET_OPEN) {
      reply.reject(new ParleyApiError(0, 'network_error', 'Connection closing'));
      return;
    }
    const id = String(this.nextId++);
    const timer =
      timeoutMs === null
        ? undefined
        : setTimeout(() => {
            this.pending.delete(id);
            reply.reject(new ParleyApiError(0, 'network_error', `No reply to ${cmd} in time`));
          }, timeoutMs);
    this.pending.set(id, { ...reply, timer });
    socket.send(JSON.stringify({ id, cmd, params }));
  }

  /** The positions to resume from: all of them, or the user streams and the most recently active chats. */
  private helloStreams(): Record<string, number> | undefined {
    if (this.streamPositions.size === 0) return undefined;
    if (this.streamPositions.size <= HELLO_MAX_STREAMS) return Object.fromEntries(this.streamPositions);
    const entries = [...this.streamPositions];
    const users = entries.filter(([stream]) => stream.startsWith('u:'));
    // Chats left out come back in `reload`, as chats new to us.
    const chats = entries.filter(([stream]) => !stream.startsWith('u:')).slice(-(HELLO_MAX_STREAMS - users.length));
    return Object.fromEntries([...users, ...chats]);
  }

  private applyHello(hello: HelloResult) {
    if (hello.replay === 'live') {
      this.streamPositions.clear();
      for (const [stream, head] of Object.entries(hello.streams)) this.streamPositions.set(stream, head);
      return;
    }
    // Replayed streams keep their positions and advance as the missed events arrive.
    for (const stream of hello.reload) {
      const head = hello.streams[stream];
      if (head === undefined) this.streamPositions.delete(stream);
      else this.moveTo(stream, head);
    }
    for (const stream of hello.gone) this.streamPositions.delete(stream);
    // `streams` names every stream we follow; this also drops chats gone that the hello left out.
    for (const stream of this.streamPositions.keys()) if (!(stream in hello.streams)) this.streamPositions.delete(stream);
  }

  private moveTo(stream: string, seq: number) {
    this.streamPositions.delete(stream);
    this.streamPositions.set(stream, seq);
  }

  /**
   * Takes the next position of a stream: true when it is new (apply it), false for a
   * duplicate. A stream we have no position for starts here.
   */
  private advance(stream: string, seq: number, restart: () => void): boolean {
    const position = this.streamPositions.get(stream);
    if (position !== undefined && seq <= position) return false;
    if (position !== undefined && seq > position + 1) {
      // The server promises no gaps; resuming from our position fills this one.
      console.warn(`[parley] stream ${stream} jumped from seq ${position} to ${seq}; reconnecting`);
      restart();
      return false;
    }
    this.moveTo(stream, seq);
    return true;
  }

  private open(): Promise<HelloResult> {
    this.setState(this.attempts === 0 ? 'connecting' : 'reconnecting');
    return new Promise((resolve, reject) => {
      let socket: SocketLike;
      try {
        socket = this.createSocket(this.url);
      } catch (error) {
        reject(error);
        return;
      }
      this.socket = socket;
      let helloDone = false;
      socket.onopen = () => {
        const params: Record<string, unknown> = {};
        const streams = this.helloStreams();
        if (streams) params.streams = streams;
        if (this.options.token) params.token = this.options.token;
        // Handled as the reply is read: the replayed events right behind it need the new positions.
        this.sendCommand(socket, 'hello', params, this.options.commandTimeoutMs ?? 15_000, {
          resolve: (value) => {
            const hello = value as HelloResult;
            helloDone = true;
            this.attempts = 0;
            this.user = hello.user;
            this.applyHello(hello);
            const reload = hello.replay === 'replayed' ? (hello.reload as StreamKey[]) : [];
            const gone = hello.replay === 'replayed' ? (hello.gone as StreamKey[]) : [];
            this.setState('open', { replay: hello.replay, reload, gone });
            this.armHeartbeat(socket);
            this.flushOutbox();
            resolve(hello);
          },
          reject: (error: Error) => {
            reject(error);
            socket.close(1000, 'hello failed');
          },
        });
      };
      const ended = (code: number) => {
        if (this.socket !== socket) return;
        this.socket = null;
        this.stopHeartbeat();
        for (const [id, pending] of this.pending) {
          clearTimeout(pending.timer);
          pending.reject(new ParleyApiError(0, 'network_error', 'Connection closed'));
          this.pending.delete(id);
        }
        for (const entry of this.outbox) entry.inFlight = false;
        if (!helloDone) reject(new ParleyApiError(0, 'network_error', `Connection closed (${code})`));
        if (this.stopped || FINAL_CLOSE_CODES.has(code) || this.options.reconnect === false) {
          this.setState('closed', { code });
          return;
        }
        this.scheduleReconnect();
      };
      // Frames still in flight on an abandoned socket are not read: the next hello resumes from our positions.
      const restart = () => {
        ended(STREAM_GAP_CLOSE);
        socket.close(STREAM_GAP_CLOSE, 'stream gap');
      };
      socket.onmessage = (event) => {
        if (this.socket !== socket) return;
        this.armHeartbeat(socket);
        this.onFrame(String(event.data), restart);
      };
      socket.onerror = () => undefined;
      socket.onclose = (event) => ended(event.code);
    });
  }

  private stopHeartbeat() {
    if (this.heartbeatTimer) clearTimeout(this.heartbeatTimer);
    this.heartbeatTimer = null;
  }

  /** Restarted by every frame: only a silent connection is pinged. */
  private armHeartbeat(socket: SocketLike) {
    const heartbeat = this.options.heartbeat === undefined ? { idleMs: 25_000, timeoutMs: 10_000 } : this.options.heartbeat;
    if (!heartbeat || this.state !== 'open') return;
    this.stopHeartbeat();
    this.heartbeatTimer = setTimeout(() => {
      this.rawCall(socket, 'ping', {}, heartbeat.timeoutMs).catch((error: ParleyApiError) => {
        if (error.code === 'network_error' && this.socket === socket) this.dropConnection();
      });
    }, heartbeat.idleMs);
  }

  /** Gathers the newest seq per chat of others' arriving messages, then confirms each chat once. */
  private confirmDelivered(frame: EventFrame) {
    if (this.options.confirmDelivery === false || frame.event !== 'message.created') return;
    const message = (frame.data as { message?: Pick<Message, 'chatId' | 'seq' | 'senderId'> }).message;
    if (!message || message.senderId === this.user?.id) return;
    this.undelivered.set(message.chatId, Math.max(this.undelivered.get(message.chatId) ?? 0, message.seq));
    this.deliveryTimer ??= setTimeout(() => {
      this.deliveryTimer = null;
      const batch = [...this.undelivered];
      this.undelivered.clear();
      for (const [chatId, seq] of batch) this.call('delivered.mark', { chatId, seq }).catch(() => undefined);
    }, DELIVERY_BATCH_MS);
  }

  private scheduleReconnect() {
    this.attempts += 1;
    this.setState('reconnecting');
    // Exponential backoff with jitter, capped at 30 s.
    const delay = Math.min(30_000, 500 * 2 ** Math.min(this.attempts - 1, 6)) * (0.75 + Math.random() / 2);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.open().catch(() => {
        // onclose schedules the next attempt.
      });
    }, delay);
  }

  private flushOutbox() {
    if (this.state !== 'open' || !this.socket) return;
    const socket = this.socket;
    for (const entry of this.outbox) {
      if (entry.inFlight) continue;
      entry.inFlight = true;
      this.rawCall<Message>(socket, 'message.send', entry.params, null).then(
        (message) => {
          this.outbox = this.outbox.filter((e) => e !== entry);
          entry.resolve(message);
        },
        (error: ParleyApiError) => {
          if (error.code === 'network_error') {
            entry.inFlight = false; // retried on reconnect, same clientId
            return;
          }
          this.outbox = this.outbox.filter((e) => e !== entry);
          entry.reject(error);
        },
      );
    }
  }

  private onFrame(text: string, restart: () => void) {
    let frame: ServerFrame;
    try {
      frame = JSON.parse(text) as ServerFrame;
    } catch {
      return;
    }
    if (frame.type === 'result' || frame.type === 'error') {
      const pending = frame.id ? this.pending.get(frame.id) : undefined;
      if (!pending || !frame.id) return;
      this.pending.delete(frame.id);
      clearTimeout(pending.timer);
      if (frame.type === 'result') pending.resolve(frame.result);
      else {
        const { error } = frame as ErrorFrame;
        const retryAfterMs = error.details?.retryAfterMs;
        pending.reject(
          new ParleyApiError(
            0,
            error.code,
            error.message,
            error.details,
            typeof retryAfterMs === 'number' ? retryAfterMs / 1000 : undefined,
          ),
        );
      }
      return;
    }
    if (frame.type === 'skip') {
      this.advance(frame.stream, frame.seq, restart);
      return;
    }
    if (frame.type === 'event') {
      // Ephemeral events (typing, presence) have no stream and always pass.
      if (frame.stream !== undefined && frame.seq !== undefined && !this.advance(frame.stream, frame.seq, restart)) return;
      for (const key of [frame.event, '*']) for (const listener of this.listeners.get(key) ?? []) listener(frame.data, frame);
      this.confirmDelivered(frame);
      if (frame.stream !== undefined && this.endsStream(frame)) this.streamPositions.delete(frame.stream);
    }
  }

  /**
   * Our last event of a chat's stream: we left or were removed, or it was deleted. Its
   * position is forgotten, so being added again later starts the stream afresh.
   */
  private endsStream(frame: EventFrame): boolean {
    if (frame.event === 'chat.deleted') return true;
    return frame.event === 'member.left' && (frame.data as { userId?: string }).userId === this.user?.id;
  }

  private setState(state: ConnectionState, detail?: StateDetail) {
    this.state = state;
    for (const listener of this.stateListeners) listener(state, detail);
  }
}
