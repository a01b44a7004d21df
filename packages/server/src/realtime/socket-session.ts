/**
 * One WebSocket connection: authentication by `hello`, resume from stream positions,
 * command dispatch with exactly one reply per command, in-order delivery, and the guards
 * that keep a bad or slow client from hurting the server (frame checks, a bounded
 * outgoing queue with backpressure).
 */
import type { Socket } from 'node:net';
import {
  CLOSE_CODES,
  CommandFrame,
  type ErrorFrame,
  HelloParams,
  type HelloResult,
  type ServerFrame,
  type StreamKey,
} from '@parley/protocol';
import type { RawData, WebSocket } from 'ws';
import type { Actor } from '../access/actor.js';
import { AppError, toAppErrorOrNull } from '../errors.js';
import { bodyAjv, describeValidationError } from '../http/validation.js';
import type { Command } from './commands.js';
import type { CommitTurn } from './event-log.js';
import { resultFrame } from './frame-json.js';
import type { HubSession } from './hub.js';
import { textFrameOf } from './ws-frame.js';

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
const tcpSocketOf = (ws: WebSocket): Socket | null => (ws as unknown as { _socket?: Socket | null })._socket ?? null;

/** `WebSocket.OPEN`: the handshake is done and no close frame has been sent or received. */
const OPEN = 1;
/** What "nothing is pending" looks like for the command chains, shared by every session. */
const SETTLED: Promise<void> = Promise.resolve();

/**
 * TCP sockets corked in this turn of the event loop, every one uncorked by a single
 * setImmediate: one timer a turn for the whole process, not one per socket written to.
 */
let corkedThisTurn: Socket[] = [];
function uncorkAll(): void {
  const sockets = corkedThisTurn;
  corkedThisTurn = [];
  for (const socket of sockets) socket.uncork();
}

/**
 * Frames sent in one turn of the event loop leave in one write: a group commit answers
 * many sends and publishes their events at once, and each `ws.send` alone would be a
 * `writev` system call of its own. Uncorked in the same turn's check phase (setImmediate),
 * after the replies that resolve in microtasks are sent too; no frame waits for a timer.
 * `ws` corks and uncorks within a single send, so a socket still corked here was corked
 * by us, this turn.
 */
function corkForThisTurn(socket: Socket): void {
  if (socket.writableCorked > 0) return;
  socket.cork();
  if (corkedThisTurn.length === 0) setImmediate(uncorkAll);
  corkedThisTurn.push(socket);
}

/**
 * The socket's events go to functions shared by every session (`this` is the socket)
 * rather than to closures made per session, which each socket would hold for its lifetime.
 */
const sessionOfSocket = new WeakMap<WebSocket, SocketSession>();
function onSocketMessage(this: WebSocket, data: RawData, isBinary: boolean): void {
  sessionOfSocket.get(this)?.receive(data as Buffer, isBinary);
}
function onSocketPong(this: WebSocket): void {
  const session = sessionOfSocket.get(this);
  if (session) session.alive = true;
}
function onSocketGone(this: WebSocket): void {
  sessionOfSocket.get(this)?.socketClosed();
}

interface Held {
  encoded: Buffer;
  stream: StreamKey | null;
  seq: number;
}

/**
 * Per-socket state is allocated when first needed and dropped when done with, so that an
 * idle authenticated socket holds its actor and little else: no timer, no queue, no
 * stream positions, no pending command chain (docs/performance.md, issue 9: idle memory).
 */
export class SocketSession implements HubSession {
  actor: Actor | null = null;
  alive = true;
  /** Live events held back while a replay is being sent; null once it has been (and never again). */
  private held: Held[] | null = [];
  private heldBytes = 0;
  /**
   * Streams this socket already has up to a position the hub has not delivered yet (the
   * replay read further than the live feed): live events up to there are duplicates.
   * Emptied as live delivery passes each position; null when empty.
   */
  private sentUpTo: Map<StreamKey, number> | null = null;
  /** Frames waiting for `ws` to take them (backpressure); null when none wait. */
  private outgoing: Buffer[] | null = null;
  private outgoingBytes = 0;
  private drainWaiters: Array<() => void> | null = null;
  /** Made the first time the socket pushes back (see `write`). */
  private onWritten: (() => void) | null = null;
  /** Settles when every command received so far is done; null when none is pending. */
  private queue: Promise<void> | null = null;
  /** Settles when the last command that is not pipelined is done: pipelined ones start after it. */
  private barrier: Promise<void> | null = null;
  /** Settles when the last pipelined command entered its commit (or gave up), and all before it did. */
  private admissions: Promise<unknown> | null = null;
  private queued = 0;
  private closed = false;
  private closeNotified = false;
  /** Until hello: a socket that does not authenticate in time is closed. */
  private authTimer: NodeJS.Timeout | null;

  constructor(
    private readonly ws: WebSocket,
    private readonly deps: SessionDeps,
    /** Set when the upgrade request carried a valid session cookie. */
    private readonly cookieActor: Actor | null,
  ) {
    this.authTimer = setTimeout(() => {
      if (!this.actor) this.close(CLOSE_CODES.authTimeout, 'authentication timeout');
    }, deps.authTimeoutMs);
    sessionOfSocket.set(ws, this);
    ws.on('message', onSocketMessage);
    ws.on('pong', onSocketPong);
    ws.on('close', onSocketGone);
    ws.on('error', onSocketGone);
  }

  get userId() {
    return this.actor?.userId ?? '';
  }

  get sessionId() {
    return this.actor?.sessionId ?? '';
  }

  /** Sends an event now, or holds it while a replay is being sent. */
  deliver(encoded: Buffer, stream: StreamKey | null, seq: number): void {
    if (this.held === null) {
      this.sendLive(encoded, stream, seq);
      return;
    }
    this.held.push({ encoded, stream, seq });
    this.heldBytes += encoded.length;
    if (this.heldBytes > this.deps.maxBufferedBytes) this.cutOff();
  }

  /** Ends the replay: sends the held live events that the replay did not already cover. */
  finishSync(): void {
    const held = this.held ?? [];
    this.held = null;
    this.heldBytes = 0;
    for (const { encoded, stream, seq } of held) this.sendLive(encoded, stream, seq);
  }

  /** Replayed or reloaded up to `seq`: live events of the stream up to there are duplicates. */
  markSent(stream: StreamKey, seq: number): void {
    this.sentUpTo ??= new Map();
    if (seq > (this.sentUpTo.get(stream) ?? 0)) this.sentUpTo.set(stream, seq);
  }

  /** Sends a replayed frame; resolves once the outgoing queue has room again (replay pacing). */
  async sendReplayed(encoded: Buffer): Promise<void> {
    this.sendEncoded(encoded);
    if (this.outgoingBytes > this.deps.maxBufferedBytes / 4) await this.drained();
  }

  /** Resolves when everything queued has been handed to the socket (or it closed). */
  drained(): Promise<void> {
    if (this.closed || this.outgoing === null) return SETTLED;
    return new Promise((resolve) => {
      this.drainWaiters ??= [];
      this.drainWaiters.push(resolve);
    });
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.stopAuthTimer();
    try {
      this.ws.close(code, reason);
    } catch {
      this.ws.terminate();
    }
    // A peer that never answers the close handshake is cut off.
    setTimeout(() => this.ws.terminate(), code === CLOSE_CODES.slowConsumer ? SLOW_CLOSE_GRACE_MS : 2000).unref();
    this.socketClosed();
  }

  ping(): void {
    if (!this.alive) {
      this.deps.stats.heartbeatTimeouts += 1;
      this.deps.onCutOff?.('heartbeat');
      this.ws.terminate();
      this.socketClosed();
      return;
    }
    this.alive = false;
    this.ws.ping();
  }

  private sendLive(encoded: Buffer, stream: StreamKey | null, seq: number): void {
    if (stream !== null && this.sentUpTo !== null) {
      const upTo = this.sentUpTo.get(stream);
      if (upTo !== undefined) {
        if (seq <= upTo) return;
        this.sentUpTo.delete(stream);
        if (this.sentUpTo.size === 0) this.sentUpTo = null;
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
    if (this.outgoing === null && this.inFlight() < IN_FLIGHT_BYTES) {
      this.write(encoded);
      return;
    }
    this.outgoing ??= [];
    this.outgoing.push(encoded);
    this.outgoingBytes += encoded.length;
    if (this.outgoingBytes > this.deps.maxBufferedBytes) this.cutOff();
  }

  /**
   * Writes the frame straight to the TCP socket, framed once per payload (ws-frame.ts):
   * `ws` writes its own frames (pings, the close frame) to that socket synchronously too,
   * since without compression its sender never queues, so the order on the wire is the
   * order of the calls. Nothing is written after the close handshake began.
   *
   * Only a write that leaves IN_FLIGHT_BYTES or more in flight asks to be told when it is
   * done: frames queue only while that much is in flight, and writes complete in order, so
   * the last write before a frame queues always carries the callback that flushes the
   * queue. Other writes carry none: no callback per frame, no closure kept per socket.
   */
  private write(encoded: Buffer): void {
    const socket = tcpSocketOf(this.ws);
    if (socket === null || this.ws.readyState !== OPEN) return;
    corkForThisTurn(socket);
    const frame = textFrameOf(encoded);
    if (socket.writableLength + frame.length < IN_FLIGHT_BYTES) {
      socket.write(frame);
      return;
    }
    this.onWritten ??= () => this.flushOutgoing();
    socket.write(frame, this.onWritten);
  }

  /** Bytes written to the socket and not yet taken by the kernel (all of `ws`'s `bufferedAmount`: its sender never queues). */
  private inFlight(): number {
    return tcpSocketOf(this.ws)?.writableLength ?? 0;
  }

  private flushOutgoing(): void {
    if (this.closed || this.outgoing === null) return;
    let sent = 0;
    while (sent < this.outgoing.length && this.inFlight() < IN_FLIGHT_BYTES) {
      const next = this.outgoing[sent] as Buffer;
      sent += 1;
      this.outgoingBytes -= next.length;
      this.write(next);
    }
    if (sent < this.outgoing.length) {
      if (sent > 0) this.outgoing = this.outgoing.slice(sent);
      return;
    }
    this.outgoing = null;
    this.wakeDrainWaiters();
  }

  private wakeDrainWaiters(): void {
    const waiters = this.drainWaiters;
    this.drainWaiters = null;
    for (const wake of waiters ?? []) wake();
  }

  private cutOff(): void {
    if (this.closed) return;
    this.deps.stats.slowConsumerCutoffs += 1;
    this.deps.onCutOff?.('slow_consumer');
    this.deps.log.warn({ userId: this.userId, queued: this.outgoingBytes + this.heldBytes }, 'slow consumer cut off');
    this.outgoing = null;
    this.outgoingBytes = 0;
    this.held = null;
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

  /** A frame from the client (the socket's `message` event). */
  receive(data: Buffer, isBinary: boolean): void {
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
      const turn = (this.admissions ?? SETTLED).then(() => undefined);
      this.admissions = Promise.all([turn, new Promise<void>((resolve) => (admitted = resolve))]);
      const done = (this.barrier ?? SETTLED)
        .then(() => this.run(frame, { turn, admitted }))
        .catch(crashed)
        .finally(() => {
          admitted();
          this.commandDone();
        });
      this.queue = Promise.all([this.queue, done]).then(() => undefined);
      return;
    }
    // Other commands run after everything before them, so their effects keep the client's order.
    this.queue = (this.queue ?? SETTLED)
      .then(() => this.run(frame))
      .catch(crashed)
      .finally(() => this.commandDone());
    this.barrier = this.queue;
    this.admissions = this.queue;
  }

  /**
   * With no command left, nothing is pending: the chains are let go (an idle socket keeps
   * no promises), and the next command starts from a settled one, after every one before it.
   */
  private commandDone(): void {
    this.queued -= 1;
    if (this.queued > 0) return;
    this.queue = null;
    this.barrier = null;
    this.admissions = null;
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
    this.stopAuthTimer();
    await this.deps.hello(this, actor, hello.streams ?? null, frame.id);
  }

  /** Sends the hello reply; called by the server between attach and replay. */
  replyHello(id: string, result: HelloResult): void {
    this.send({ type: 'result', id, result });
  }

  private stopAuthTimer(): void {
    if (this.authTimer === null) return;
    clearTimeout(this.authTimer);
    this.authTimer = null;
  }

  /** The socket is gone, or is being let go (its `close` and `error` events, `close`, a missed heartbeat). */
  socketClosed(): void {
    this.closed = true;
    this.stopAuthTimer();
    this.wakeDrainWaiters();
    if (this.closeNotified) return;
    this.closeNotified = true;
    this.deps.onClose(this);
  }
}
