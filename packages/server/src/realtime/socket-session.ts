/**
 * One WebSocket connection: authentication by `hello`, resume from stream positions,
 * command dispatch with exactly one reply per command, in-order delivery, and the guards
 * that keep a bad or slow client from hurting the server (frame checks, a bounded
 * outgoing queue with backpressure).
 */
import {
  CLOSE_CODES,
  CommandFrame,
  type ErrorFrame,
  HelloParams,
  type HelloResult,
  type ServerFrame,
  type StreamKey,
} from '@parley/protocol';
import type { WebSocket } from 'ws';
import type { Actor } from '../access/actor.js';
import { AppError, toAppErrorOrNull } from '../errors.js';
import { bodyAjv, describeValidationError } from '../http/validation.js';
import type { Command } from './commands.js';
import type { CommitTurn } from './event-log.js';
import { resultFrame } from './frame-json.js';
import type { HubSession } from './hub.js';

export interface SessionDeps {
  authenticate(token: string): Promise<Actor | null>;
  hello(session: SocketSession, actor: Actor, positions: Record<string, number> | null, replyId: string): Promise<void>;
  commands: Record<string, Command>;
  maxBufferedBytes: number;
  authTimeoutMs: number;
  onClose(session: SocketSession): void;
  /** Counts why sockets were cut off, for tests and metrics. */
  stats: { slowConsumerCutoffs: number; heartbeatTimeouts: number };
  onCutOff?: (reason: 'slow_consumer' | 'heartbeat') => void;
  log: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
  /**
   * Commands that may start before the previous one is answered (SQLite's group commit:
   * `message.send`), each entering its commit in the order the client sent it.
   */
  pipelined: ReadonlySet<string>;
}

const validateFrame = bodyAjv.compile(CommandFrame);
const validateHello = bodyAjv.compile(HelloParams);

/** Commands queued on one socket beyond this are refused rather than buffered. */
const MAX_QUEUED_COMMANDS = 256;
/** Bytes handed to `ws` (and the kernel) at a time; the rest waits in our own queue, which can be dropped. */
const IN_FLIGHT_BYTES = 256 * 1024;
/** How long a slow consumer has to read its close frame before the socket is cut. */
const SLOW_CLOSE_GRACE_MS = 30_000;

/** `ws` keeps its TCP socket in `_socket` (not in its types); null once it is gone. */
const tcpSocketOf = (ws: WebSocket): { cork(): void; uncork(): void } | null =>
  (ws as unknown as { _socket?: { cork(): void; uncork(): void } | null })._socket ?? null;

interface Held {
  encoded: Buffer;
  stream: StreamKey | null;
  seq: number;
}

export class SocketSession implements HubSession {
  actor: Actor | null = null;
  alive = true;
  /** While true, live events are held back until the replay has been sent. */
  private syncing = true;
  private held: Held[] = [];
  private heldBytes = 0;
  /**
   * Streams this socket already has up to a position the hub has not delivered yet (the
   * replay read further than the live feed): live events up to there are duplicates.
   * Emptied as live delivery passes each position, so an idle socket keeps nothing here.
   */
  private readonly sentUpTo = new Map<StreamKey, number>();
  /** Frames waiting for `ws` to take them (backpressure). */
  private outgoing: Buffer[] = [];
  private outgoingBytes = 0;
  private drainWaiters: Array<() => void> = [];
  private readonly onWritten = () => this.flushOutgoing();
  /** The TCP socket is corked until the end of this turn of the event loop (see `corkForThisTurn`). */
  private corked: { uncork(): void } | null = null;
  private readonly uncork = () => {
    const socket = this.corked;
    this.corked = null;
    socket?.uncork();
  };
  /** Settles when every command received so far is done. */
  private queue: Promise<void> = Promise.resolve();
  /** Settles when the last command that is not pipelined is done: pipelined ones start after it. */
  private barrier: Promise<void> = Promise.resolve();
  /** Settles when the last pipelined command entered its commit (or gave up), and all before it did. */
  private admissions: Promise<unknown> = Promise.resolve();
  private queued = 0;
  private closed = false;
  private readonly authTimer: NodeJS.Timeout;

  constructor(
    private readonly ws: WebSocket,
    private readonly deps: SessionDeps,
    /** Set when the upgrade request carried a valid session cookie. */
    private readonly cookieActor: Actor | null,
  ) {
    this.authTimer = setTimeout(() => {
      if (!this.actor) this.close(CLOSE_CODES.authTimeout, 'authentication timeout');
    }, deps.authTimeoutMs);
    ws.on('message', (data, isBinary) => this.onFrame(data as Buffer, isBinary));
    ws.on('pong', () => {
      this.alive = true;
    });
    ws.on('close', () => this.onClosed());
    ws.on('error', () => this.onClosed());
  }

  get userId() {
    return this.actor?.userId ?? '';
  }

  get sessionId() {
    return this.actor?.sessionId ?? '';
  }

  /** Sends an event now, or holds it while a replay is being sent. */
  deliver(encoded: Buffer, stream: StreamKey | null, seq: number): void {
    if (!this.syncing) {
      this.sendLive(encoded, stream, seq);
      return;
    }
    this.held.push({ encoded, stream, seq });
    this.heldBytes += encoded.length;
    if (this.heldBytes > this.deps.maxBufferedBytes) this.cutOff();
  }

  /** Ends the replay: sends the held live events that the replay did not already cover. */
  finishSync(): void {
    this.syncing = false;
    const held = this.held;
    this.held = [];
    this.heldBytes = 0;
    for (const { encoded, stream, seq } of held) this.sendLive(encoded, stream, seq);
  }

  /** Replayed or reloaded up to `seq`: live events of the stream up to there are duplicates. */
  markSent(stream: StreamKey, seq: number): void {
    if (seq > (this.sentUpTo.get(stream) ?? 0)) this.sentUpTo.set(stream, seq);
  }

  /** Sends a replayed frame; resolves once the outgoing queue has room again (replay pacing). */
  async sendReplayed(encoded: Buffer): Promise<void> {
    this.sendEncoded(encoded);
    if (this.outgoingBytes > this.deps.maxBufferedBytes / 4) await this.drained();
  }

  /** Resolves when everything queued has been handed to the socket (or it closed). */
  drained(): Promise<void> {
    if (this.closed || this.outgoing.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.authTimer);
    try {
      this.ws.close(code, reason);
    } catch {
      this.ws.terminate();
    }
    // A peer that never answers the close handshake is cut off.
    setTimeout(() => this.ws.terminate(), code === CLOSE_CODES.slowConsumer ? SLOW_CLOSE_GRACE_MS : 2000).unref();
    this.onClosed();
  }

  ping(): void {
    if (!this.alive) {
      this.deps.stats.heartbeatTimeouts += 1;
      this.deps.onCutOff?.('heartbeat');
      this.ws.terminate();
      this.onClosed();
      return;
    }
    this.alive = false;
    this.ws.ping();
  }

  private sendLive(encoded: Buffer, stream: StreamKey | null, seq: number): void {
    if (stream !== null) {
      const upTo = this.sentUpTo.get(stream);
      if (upTo !== undefined) {
        if (seq <= upTo) return;
        this.sentUpTo.delete(stream);
      }
    }
    this.sendEncoded(encoded);
  }

  private send(frame: ServerFrame): void {
    this.sendEncoded(Buffer.from(JSON.stringify(frame)));
  }

  /**
   * Hands a frame to `ws` while little is in flight; beyond that it waits in our queue,
   * which — unlike bytes already given to the socket — can be dropped, so a client that
   * stops reading gets its close frame (4008) soon after it reads again.
   */
  private sendEncoded(encoded: Buffer): void {
    if (this.closed) return;
    if (this.outgoing.length === 0 && this.ws.bufferedAmount < IN_FLIGHT_BYTES) {
      this.corkForThisTurn();
      // Text frames (binary: false) even though the payload is already bytes.
      this.ws.send(encoded, { binary: false }, this.onWritten);
      return;
    }
    this.outgoing.push(encoded);
    this.outgoingBytes += encoded.length;
    if (this.outgoingBytes > this.deps.maxBufferedBytes) this.cutOff();
  }

  /**
   * Frames sent in one turn of the event loop leave in one write: a group commit answers
   * many sends and publishes their events at once, and each `ws.send` alone would be a
   * `writev` system call of its own. Uncorked in the same turn's check phase (setImmediate),
   * after the replies that resolve in microtasks are sent too; no frame waits for a timer.
   */
  private corkForThisTurn(): void {
    if (this.corked) return;
    const socket = tcpSocketOf(this.ws);
    if (!socket) return;
    socket.cork();
    this.corked = socket;
    setImmediate(this.uncork);
  }

  private flushOutgoing(): void {
    if (this.closed) return;
    this.corkForThisTurn();
    let sent = 0;
    while (sent < this.outgoing.length && this.ws.bufferedAmount < IN_FLIGHT_BYTES) {
      const next = this.outgoing[sent] as Buffer;
      sent += 1;
      this.outgoingBytes -= next.length;
      this.ws.send(next, { binary: false }, this.onWritten);
    }
    if (sent > 0) this.outgoing = this.outgoing.slice(sent);
    if (this.outgoing.length === 0) this.wakeDrainWaiters();
  }

  private wakeDrainWaiters(): void {
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const wake of waiters) wake();
  }

  private cutOff(): void {
    if (this.closed) return;
    this.deps.stats.slowConsumerCutoffs += 1;
    this.deps.onCutOff?.('slow_consumer');
    this.deps.log.warn({ userId: this.userId, queued: this.outgoingBytes + this.heldBytes }, 'slow consumer cut off');
    this.outgoing = [];
    this.outgoingBytes = 0;
    this.held = [];
    this.heldBytes = 0;
    this.close(CLOSE_CODES.slowConsumer, 'slow consumer');
  }

  private sendError(id: string | null, error: AppError): void {
    const frame: ErrorFrame = {
      type: 'error',
      id,
      error: { code: error.code, message: error.message, ...(error.details && { details: error.details }) },
    };
    if (error.retryAfterSeconds !== undefined)
      frame.error.details = { ...frame.error.details, retryAfterMs: error.retryAfterSeconds * 1000 };
    this.send(frame);
  }

  private onFrame(data: Buffer, isBinary: boolean): void {
    if (this.closed) return;
    let parsed: unknown;
    try {
      if (isBinary) throw new Error('binary');
      parsed = JSON.parse(data.toString('utf8'));
    } catch {
      this.sendError(null, new AppError('bad_frame', 'Frames must be JSON text objects: {"id","cmd","params"}'));
      return;
    }
    const id = typeof (parsed as { id?: unknown })?.id === 'string' ? ((parsed as { id: string }).id.slice(0, 64) as string) : null;
    if (!validateFrame(parsed)) {
      const first = validateFrame.errors?.[0];
      const problem = first ? describeValidationError(first, 'frame') : null;
      this.sendError(
        id,
        new AppError(
          'bad_frame',
          problem?.message ?? 'Malformed frame',
          problem ? { location: 'frame', field: problem.field, rule: problem.rule } : undefined,
        ),
      );
      return;
    }
    const frame = parsed as CommandFrame;
    if (this.queued >= MAX_QUEUED_COMMANDS) {
      this.sendError(frame.id, new AppError('rate_limited', 'Too many commands in flight; wait for replies', undefined, 1));
      return;
    }
    this.queued += 1;
    const crashed = (error: unknown) => this.deps.log.error({ err: error }, 'command crashed');
    if (this.deps.pipelined.has(frame.cmd)) {
      // Starts once the commands before it that are not pipelined are done; enters its
      // commit after the pipelined ones before it did. Effects keep the client's order.
      let admitted!: () => void;
      const turn = this.admissions.then(() => undefined);
      this.admissions = Promise.all([turn, new Promise<void>((resolve) => (admitted = resolve))]);
      const done = this.barrier
        .then(() => this.run(frame, { turn, admitted }))
        .catch(crashed)
        .finally(() => {
          admitted();
          this.queued -= 1;
        });
      this.queue = Promise.all([this.queue, done]).then(() => undefined);
      return;
    }
    // Other commands run after everything before them, so their effects keep the client's order.
    this.queue = this.queue
      .then(() => this.run(frame))
      .catch(crashed)
      .finally(() => {
        this.queued -= 1;
      });
    this.barrier = this.queue;
    this.admissions = this.queue;
  }

  private async run(frame: CommandFrame, order?: CommitTurn): Promise<void> {
    if (this.closed) return;
    try {
      if (frame.cmd === 'hello') return await this.hello(frame);
      if (!this.actor) throw new AppError('not_authenticated_yet', 'Send hello first');
      if (frame.cmd === 'ping') return this.send({ type: 'result', id: frame.id, result: { pong: true } });
      // Own properties only: `constructor` or `__proto__` must not resolve to Object's.
      const command = Object.hasOwn(this.deps.commands, frame.cmd) ? this.deps.commands[frame.cmd] : undefined;
      if (!command)
        throw new AppError('unknown_command', `Unknown command "${frame.cmd}"`, { location: 'frame', field: 'cmd', rule: 'enum' });
      const params = frame.params ?? {};
      if (!command.validate(params)) {
        const first = command.validate.errors?.[0];
        const { message, ...details } = first
          ? describeValidationError(first, 'params')
          : { message: 'params are invalid', location: 'params', field: '', rule: 'schema' };
        throw new AppError('validation_failed', message, details);
      }
      const result = await command.run(this.actor, params, order);
      this.sendEncoded(resultFrame(frame.id, result ?? { ok: true }));
    } catch (error) {
      const known = toAppErrorOrNull(error);
      if (!known) this.deps.log.error({ err: error, cmd: frame.cmd }, 'command failed');
      this.sendError(frame.id, known ?? new AppError('internal_error', 'Something went wrong on the server; it has been logged'));
    }
  }

  private async hello(frame: CommandFrame): Promise<void> {
    if (this.actor) throw new AppError('already_authenticated', 'This socket has already said hello');
    const params = frame.params ?? {};
    if (!validateHello(params)) {
      const first = validateHello.errors?.[0];
      const { message, ...details } = first
        ? describeValidationError(first, 'params')
        : { message: 'bad hello', location: 'params', field: '', rule: 'schema' };
      throw new AppError('validation_failed', message, details);
    }
    const hello = params as HelloParams;
    const actor = hello.token ? await this.deps.authenticate(hello.token) : this.cookieActor;
    if (!actor) throw new AppError('unauthenticated', hello.token ? 'The token is not a live session' : 'Send a session token in hello');
    if (this.closed) return;
    this.actor = actor;
    clearTimeout(this.authTimer);
    await this.deps.hello(this, actor, hello.streams ?? null, frame.id);
  }

  /** Sends the hello reply; called by the server between attach and replay. */
  replyHello(id: string, result: HelloResult): void {
    this.send({ type: 'result', id, result });
  }

  private closeNotified = false;

  private onClosed(): void {
    this.closed = true;
    clearTimeout(this.authTimer);
    this.wakeDrainWaiters();
    if (this.closeNotified) return;
    this.closeNotified = true;
    this.deps.onClose(this);
  }
}
