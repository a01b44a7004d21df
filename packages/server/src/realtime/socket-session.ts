/**
 * One WebSocket connection: authentication by `hello`, resume from a cursor, command
 * dispatch with exactly one reply per command, in-order delivery, and the guards that
 * keep a bad or slow client from hurting the server (frame checks, buffer bound).
 */
import { CLOSE_CODES, CommandFrame, type ErrorFrame, HelloParams, type HelloResult, type ServerFrame } from '@parley/protocol';
import type { WebSocket } from 'ws';
import type { Actor } from '../access/actor.js';
import { AppError, toAppErrorOrNull } from '../errors.js';
import { bodyAjv, describeValidationError } from '../http/validation.js';
import type { Command } from './commands.js';
import type { HubSession } from './hub.js';

export interface SessionDeps {
  authenticate(token: string): Promise<Actor | null>;
  hello(session: SocketSession, actor: Actor, cursor: string | null, replyId: string): Promise<void>;
  commands: Record<string, Command>;
  maxBufferedBytes: number;
  authTimeoutMs: number;
  onClose(session: SocketSession): void;
  /** Counts why sockets were cut off, for tests and metrics. */
  stats: { slowConsumerCutoffs: number; heartbeatTimeouts: number };
  log: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

const validateFrame = bodyAjv.compile(CommandFrame);
const validateHello = bodyAjv.compile(HelloParams);

/** Commands queued on one socket beyond this are refused rather than buffered. */
const MAX_QUEUED_COMMANDS = 256;

export class SocketSession implements HubSession {
  actor: Actor | null = null;
  alive = true;
  /** While true, live events are held back until the replay has been sent. */
  private syncing = true;
  private held: Array<{ encoded: Buffer; eventId: number | null }> = [];
  private lastSentEventId = 0;
  private queue: Promise<void> = Promise.resolve();
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
  deliver(encoded: Buffer, eventId: number | null): void {
    if (this.syncing) {
      this.held.push({ encoded, eventId });
      return;
    }
    this.sendEvent(encoded, eventId);
  }

  /** Ends the replay: sends the held live events that the replay did not already cover. */
  finishSync(): void {
    this.syncing = false;
    const held = this.held;
    this.held = [];
    for (const { encoded, eventId } of held) this.sendEvent(encoded, eventId);
  }

  sendReplayed(encoded: Buffer, eventId: number): void {
    this.sendEvent(encoded, eventId);
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
    setTimeout(() => this.ws.terminate(), 2000).unref();
    this.onClosed();
  }

  ping(): void {
    if (!this.alive) {
      this.deps.stats.heartbeatTimeouts += 1;
      this.ws.terminate();
      this.onClosed();
      return;
    }
    this.alive = false;
    this.ws.ping();
  }

  private sendEvent(encoded: Buffer, eventId: number | null): void {
    if (eventId !== null) {
      // Stored events go out once each, in id order, whether replayed or live.
      if (eventId <= this.lastSentEventId) return;
      this.lastSentEventId = eventId;
    }
    this.sendEncoded(encoded);
  }

  private send(frame: ServerFrame): void {
    this.sendEncoded(Buffer.from(JSON.stringify(frame)));
  }

  private sendEncoded(encoded: Buffer): void {
    if (this.closed) return;
    if (this.ws.bufferedAmount > this.deps.maxBufferedBytes) {
      this.deps.stats.slowConsumerCutoffs += 1;
      this.deps.log.warn({ userId: this.userId, buffered: this.ws.bufferedAmount }, 'slow consumer cut off');
      this.close(CLOSE_CODES.slowConsumer, 'slow consumer');
      return;
    }
    // Text frames (binary: false) even though the payload is already bytes.
    this.ws.send(encoded, { binary: false });
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
    // Commands of one socket run one after another, so their effects keep the client's order.
    this.queue = this.queue
      .then(() => this.run(frame))
      .catch((error: unknown) => this.deps.log.error({ err: error }, 'command crashed'))
      .finally(() => {
        this.queued -= 1;
      });
  }

  private async run(frame: CommandFrame): Promise<void> {
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
      const result = await command.run(this.actor, params);
      this.send({ type: 'result', id: frame.id, result: result ?? { ok: true } });
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
    await this.deps.hello(this, actor, hello.cursor ?? null, frame.id);
  }

  /** Sends the hello reply; called by the server between attach and replay. */
  replyHello(id: string, result: HelloResult): void {
    this.send({ type: 'result', id, result });
  }

  private closeNotified = false;

  private onClosed(): void {
    this.closed = true;
    clearTimeout(this.authTimer);
    if (this.closeNotified) return;
    this.closeNotified = true;
    this.deps.onClose(this);
  }
}
