/**
 * The WebSocket half of the SDK: one connection that says hello, resumes from the last
 * cursor after every reconnect (with backoff), matches replies to commands, and keeps
 * an outbox so a message sent while offline goes out once when the socket is back.
 */
import {
  type CommandName,
  type ErrorFrame,
  type EventFrame,
  type EventName,
  type HelloResult,
  type Message,
  type SendMessageParams,
  type ServerFrame,
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
  /** Resume from here on the first connect (e.g. a cursor saved by the app). */
  cursor?: string | null;
  createSocket?: SocketFactory;
  /** Reconnect with exponential backoff after an unexpected close. Default true. */
  reconnect?: boolean;
  /** Milliseconds to wait for a reply before failing a command. Default 15 s. */
  commandTimeoutMs?: number;
}

type Listener = (data: unknown, frame: EventFrame) => void;

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

export class ParleyRealtime {
  state: ConnectionState = 'closed';
  cursor: string | null;
  user: HelloResult['user'] | null = null;
  private socket: SocketLike | null = null;
  private nextId = 1;
  private pending = new Map<string, PendingCommand>();
  private listeners = new Map<string, Set<Listener>>();
  private stateListeners = new Set<(state: ConnectionState, detail?: { code?: number; replay?: HelloResult['replay'] }) => void>();
  private outbox: OutboxEntry[] = [];
  private attempts = 0;
  private stopped = false;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly createSocket: SocketFactory;

  constructor(private readonly options: RealtimeOptions) {
    this.cursor = options.cursor ?? null;
    this.createSocket =
      options.createSocket ??
      ((url) => {
        const WS = (globalThis as { WebSocket?: new (url: string) => SocketLike }).WebSocket;
        if (!WS) throw new Error('No WebSocket implementation: pass createSocket');
        return new WS(url);
      });
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

  on(event: EventName | '*', listener: Listener): () => void {
    const set = this.listeners.get(event) ?? new Set();
    set.add(listener);
    this.listeners.set(event, set);
    return () => set.delete(listener);
  }

  onState(listener: (state: ConnectionState, detail?: { code?: number; replay?: HelloResult['replay'] }) => void): () => void {
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
    const id = String(this.nextId++);
    return new Promise<T>((resolve, reject) => {
      const timer =
        timeoutMs === null
          ? undefined
          : setTimeout(() => {
              this.pending.delete(id);
              reject(new ParleyApiError(0, 'network_error', `No reply to ${cmd} in time`));
            }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      socket.send(JSON.stringify({ id, cmd, params }));
    });
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
        const params: Record<string, unknown> = { cursor: this.cursor };
        if (this.options.token) params.token = this.options.token;
        this.rawCall<HelloResult>(socket, 'hello', params).then(
          (hello) => {
            helloDone = true;
            this.attempts = 0;
            this.user = hello.user;
            if (hello.replay !== 'replayed') this.cursor = hello.cursor;
            this.setState('open', { replay: hello.replay });
            this.flushOutbox();
            resolve(hello);
          },
          (error: Error) => {
            reject(error);
            socket.close(1000, 'hello failed');
          },
        );
      };
      socket.onmessage = (event) => this.onFrame(String(event.data));
      socket.onerror = () => undefined;
      socket.onclose = (event) => {
        if (this.socket !== socket) return;
        this.socket = null;
        for (const [id, pending] of this.pending) {
          clearTimeout(pending.timer);
          pending.reject(new ParleyApiError(0, 'network_error', 'Connection closed'));
          this.pending.delete(id);
        }
        for (const entry of this.outbox) entry.inFlight = false;
        if (!helloDone) reject(new ParleyApiError(0, 'network_error', `Connection closed (${event.code})`));
        if (this.stopped || FINAL_CLOSE_CODES.has(event.code) || this.options.reconnect === false) {
          this.setState('closed', { code: event.code });
          return;
        }
        this.scheduleReconnect();
      };
    });
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

  private onFrame(text: string) {
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
    if (frame.type === 'resync') {
      this.cursor = frame.cursor;
      this.setState('open', { replay: 'resync' });
      return;
    }
    if (frame.type === 'event') {
      if (frame.cursor) this.cursor = frame.cursor;
      for (const key of [frame.event, '*']) for (const listener of this.listeners.get(key) ?? []) listener(frame.data, frame);
    }
  }

  private setState(state: ConnectionState, detail?: { code?: number; replay?: HelloResult['replay'] }) {
    this.state = state;
    for (const listener of this.stateListeners) listener(state, detail);
  }
}
