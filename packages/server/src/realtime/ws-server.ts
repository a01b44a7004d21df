/**
 * The real-time endpoint `/api/v1/ws`: upgrade (Origin checked when a session cookie is
 * used), sessions, resume, heartbeats, presence, and a clean close on shutdown.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { CLOSE_CODES, WS_MAX_FRAME_BYTES, WS_PATH } from '@parley/protocol';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { WebSocketServer } from 'ws';
import type { Actor } from '../access/actor.js';
import type { Config } from '../config.js';
import { AddressCounter, overConnectionLimit } from '../http/connection-limit.js';
import { sessionCookieNames } from '../http/session-cookies.js';
import { clientAddress, requestOrigin, trustFunction } from '../http/trust-proxy.js';
import { addressKey } from '../modules/auth/address-key.js';
import { forgetSender } from '../modules/messages/sender-cache.js';
import type { Services } from '../services.js';
import { isPostgres } from '../storage/dialect.js';
import type { Database } from '../storage/schema.js';
import type { EventBus } from './bus.js';
import { createCommands } from './commands.js';
import { readStream } from './event-log.js';
import { eventLogRepo } from './event-log.repo.js';
import { Hub, type HubObserver } from './hub.js';
import type { PresenceTracker } from './presence.js';
import { createResume } from './resume.js';
import { type SessionDeps, SocketSession } from './socket-session.js';

export interface RealtimeServer {
  hub: Hub;
  stats: SessionDeps['stats'];
  close(): Promise<void>;
}

/**
 * A cookie-authenticated upgrade is accepted from an allowed origin (PUBLIC_URL's,
 * ALLOWED_ORIGINS) or from the very origin the request was made to, scheme and port
 * included: an `https://` page is not the `http://` server on the same host.
 */
export function originAllowed(origin: string | undefined, ownOrigin: string | null, allowed: string[]): boolean {
  if (!origin) return true; // not a browser: cookies are not sent cross-site by non-browsers
  if (allowed.includes(origin)) return true;
  try {
    return ownOrigin !== null && new URL(origin).origin === ownOrigin;
  } catch {
    return false;
  }
}

/** Shared by every upgrading socket (`this` is the socket), so none holds a closure of its own. */
function destroyOnError(this: Duplex): void {
  this.destroy();
}

export function startRealtime(
  app: FastifyInstance,
  deps: {
    config: Config;
    db: Kysely<Database>;
    bus: EventBus;
    services: Services;
    presence: PresenceTracker;
    observer?: HubObserver & {
      replayed(events: number): void;
      reloaded(streams: number): void;
      cutOff(reason: 'slow_consumer' | 'heartbeat'): void;
    };
  },
): RealtimeServer {
  const { config, db, bus, services, presence, observer } = deps;
  const wss = new WebSocketServer({ noServer: true, maxPayload: WS_MAX_FRAME_BYTES, perMessageDeflate: false });
  const log = eventLogRepo(db);
  const hub = new Hub(
    bus,
    {
      chatIdsOf: (userId) => services.chats.chatIdsOf(userId),
      membershipHeads: (userId, chatIds) => log.membershipHeads(userId, chatIds),
      userHead: (userId) => log.userHead(userId),
      read: (stream, afterSeq, limit) => readStream(db, stream, afterSeq, limit),
    },
    observer,
    app.log,
  );
  // A profile change, made on any instance, reaches every instance's bus: the sender
  // presented in messages sent from here on is read again (modules/messages/sender-cache.ts).
  const stopForgettingSenders = bus.subscribe(
    (message) => {
      const userId = (message.kind !== 'control' && (message.data as { user?: { id?: unknown } }).user?.id) || null;
      if (typeof userId === 'string') forgetSender(db, userId);
    },
    (route) => route.name === 'user.updated',
  );
  const resume = createResume({ db, hub, maxEvents: config.RESUME_MAX_EVENTS, ...(observer && { observer }) });
  const commands = createCommands(services);
  const sessions = new Set<SocketSession>();
  const stats = { slowConsumerCutoffs: 0, heartbeatTimeouts: 0 };

  async function hello(session: SocketSession, actor: Actor, positions: Record<string, number> | null, replyId: string) {
    const user = await services.users.getMe(actor);
    // Attached first: everything the hub delivers from here on is held by the session,
    // and everything it delivered before is committed, so the replay read after reaches it.
    await hub.attach(session);
    presence.connected(actor.userId);
    const plan = await resume.plan(session, actor.userId, positions);
    session.replyHello(replyId, {
      user,
      sessionId: actor.sessionId,
      replay: positions === null ? 'live' : 'replayed',
      replayedCount: plan.replayedCount,
      streams: plan.heads,
      reload: plan.reload,
      gone: plan.gone,
      heartbeatSeconds: config.WS_HEARTBEAT_SECONDS,
    });
    await resume.replay(session, actor.userId, plan);
    session.finishSync();
  }

  const sessionDeps: SessionDeps = {
    authenticate: (token) => services.auth.authenticate(token),
    hello: (session, actor, positions, replyId) => {
      releaseUnauthenticated(session);
      return hello(session, actor, positions, replyId);
    },
    commands,
    // One SQLite commit holds many sends, so a socket's sends share it; PostgreSQL commits
    // each send on its own connection, where only waiting for the ack keeps their order.
    pipelined: new Set(isPostgres(db) ? [] : ['message.send']),
    maxBufferedBytes: config.WS_MAX_BUFFERED_BYTES,
    authTimeoutMs: config.WS_AUTH_TIMEOUT_MS,
    onClose(session) {
      sessions.delete(session);
      releaseUnauthenticated(session);
      if (!session.actor) return;
      hub.detach(session);
      presence.disconnected(session.actor.userId);
    },
    log: app.log,
    stats,
    ...(observer && { onCutOff: (reason: 'slow_consumer' | 'heartbeat') => observer.cutOff(reason) }),
  };

  const reject = (socket: Duplex, status: number, message: string, extraHeaders = '') => {
    socket.write(`HTTP/1.1 ${status} ${message}\r\nConnection: close\r\nContent-Type: text/plain\r\n${extraHeaders}\r\n${message}\n`);
    socket.destroy();
  };

  const trust = trustFunction(config.trustProxy);
  const sessionCookie = sessionCookieNames(config.PUBLIC_URL?.startsWith('https://') ?? false).session;
  // Sockets per client address that have not said hello yet: each costs memory and a
  // timer for WS_AUTH_TIMEOUT_MS, so one address may not hold thousands of them.
  const unauthenticated = new AddressCounter(config.WS_MAX_UNAUTHENTICATED_PER_IP);
  // Each socket's place in `unauthenticated`, given back at its hello or its close.
  const awaitingHello = new Map<SocketSession, () => void>();
  const releaseUnauthenticated = (session: SocketSession) => {
    awaitingHello.get(session)?.();
    awaitingHello.delete(session);
  };

  async function onUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer) {
    const path = (request.url ?? '').split('?')[0];
    if (path !== WS_PATH) return reject(socket, 404, 'Not Found');
    if (overConnectionLimit(request.socket)) return reject(socket, 429, 'Too Many Requests', 'Retry-After: 1\r\n');
    const release = unauthenticated.hold(addressKey(clientAddress(request, trust)));
    if (!release) return reject(socket, 429, 'Too Many Requests', `Retry-After: ${Math.ceil(config.WS_AUTH_TIMEOUT_MS / 1000)}\r\n`);
    socket.once('close', release);
    const cookies = app.parseCookie(request.headers.cookie ?? '');
    const token = cookies[sessionCookie];
    let cookieActor: Actor | null = null;
    if (token) {
      // Cross-site WebSocket hijacking guard: a cookie only counts from an allowed origin.
      if (!originAllowed(request.headers.origin, requestOrigin(request, trust), config.allowedOrigins))
        return reject(socket, 403, 'Origin not allowed');
      cookieActor = await services.auth.authenticate(token).catch(() => null);
    }
    // From here the session gives the place back (`awaitingHello`), so the socket keeps no
    // listener of ours for its lifetime; `handleUpgrade` either calls back at once or has
    // refused the socket.
    socket.off('close', release);
    let upgraded = false;
    try {
      wss.handleUpgrade(request, socket, head, (ws) => {
        socket.off('error', destroyOnError); // `ws` handles the socket's errors from here
        const session = new SocketSession(ws, sessionDeps, cookieActor);
        awaitingHello.set(session, release);
        sessions.add(session);
        upgraded = true;
      });
    } finally {
      if (!upgraded) release();
    }
  }

  app.server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', destroyOnError);
    onUpgrade(request, socket, head).catch(() => reject(socket, 500, 'Internal Server Error'));
  });

  const heartbeat = setInterval(() => {
    for (const session of sessions) session.ping();
  }, config.WS_HEARTBEAT_SECONDS * 1000);
  heartbeat.unref();

  return {
    hub,
    stats,
    async close() {
      clearInterval(heartbeat);
      hub.stop();
      stopForgettingSenders();
      for (const session of sessions) session.close(CLOSE_CODES.serviceRestart, 'server restarting');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
