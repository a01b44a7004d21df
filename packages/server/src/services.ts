/**
 * Builds every service once, wired to storage, the event log and the bus. Services
 * know nothing of HTTP or sockets; routes and socket commands both call them.
 */
import type { Redis } from 'ioredis';
import { createRateLimits } from './access/rate-limits.js';
import type { Config } from './config.js';
import type { Metrics } from './metrics.js';
import { createAuthService } from './modules/auth/auth.service.js';
import { createLoginThrottle } from './modules/auth/login-throttle.js';
import { createRegistrationLimit } from './modules/auth/registration-limit.js';
import { createChatsService } from './modules/chats/chats.service.js';
import { createJobQueue } from './modules/jobs/job-queue.js';
import { createMessagesService } from './modules/messages/messages.service.js';
import { createUsersService } from './modules/users/users.service.js';
import type { EventBus } from './realtime/bus.js';
import { createTransact } from './realtime/event-log.js';
import type { PresenceTracker } from './realtime/presence.js';
import type { Storage } from './storage/database.js';

export type Services = ReturnType<typeof createServices>;

/** Per-user budgets for sends, other changes, and read marks and typing (access/rate-limits.ts). */
const rateLimits = (config: Config, redis: Redis | undefined) =>
  createRateLimits(
    {
      send: { ratePerSecond: config.WS_SEND_RATE_PER_SECOND, burst: config.WS_SEND_BURST },
      action: { ratePerSecond: config.ACTION_RATE_PER_SECOND, burst: config.ACTION_BURST },
      readTyping: { ratePerSecond: config.READ_TYPING_RATE_PER_SECOND, burst: config.READ_TYPING_BURST },
    },
    redis,
  );

export function createServices(
  config: Config,
  storage: Storage,
  bus: EventBus,
  presence: PresenceTracker,
  redis: Redis | undefined,
  metrics?: Pick<Metrics, 'sendLatency' | 'jobs'>,
) {
  const transact = createTransact(storage.db, bus, { groupCommit: storage.dialect === 'sqlite' });
  const throttle = createLoginThrottle({
    accountMaxFailures: config.LOGIN_ACCOUNT_MAX_FAILURES,
    accountIpMaxFailures: config.LOGIN_ACCOUNT_IP_MAX_FAILURES,
    ipMaxFailures: config.LOGIN_IP_MAX_FAILURES,
    windowSeconds: config.LOGIN_THROTTLE_WINDOW_SECONDS,
    ...(redis && { redis }),
  });
  const limits = rateLimits(config, redis);
  // Durable background work; modules register their job kinds below, server.ts starts it.
  const jobs = createJobQueue(storage.db, {
    concurrency: config.JOBS_CONCURRENCY,
    pollMs: config.JOBS_POLL_MS,
    leaseMs: config.JOBS_LEASE_MS,
    retryBaseMs: config.JOBS_RETRY_BASE_MS,
    maxAttempts: config.JOBS_MAX_ATTEMPTS,
    ...(metrics && { observer: metrics.jobs }),
  });
  const users = createUsersService(storage, transact, limits);
  const chats = createChatsService(storage.db, transact, presence, limits);
  const messages = createMessagesService(storage.db, transact, limits, (event) => bus.publish(event));
  if (metrics) {
    // From the request to the ack (REST and socket alike), retries and refusals included.
    const send = messages.send.bind(messages);
    messages.send = async (actor, params) => {
      const stop = metrics.sendLatency.startTimer();
      try {
        return await send(actor, params);
      } finally {
        stop();
      }
    };
  }
  const auth = createAuthService(
    storage,
    throttle,
    {
      sessionsEnded: (userId, sessionIds) => bus.publish({ kind: 'control', type: 'sessions.ended', userId, sessionIds }),
      accountDeleted: (userId) => chats.leaveAllChats(userId),
    },
    {
      sessionTtlDays: config.SESSION_TTL_DAYS,
      registrationLimit: createRegistrationLimit({
        maxAccounts: config.REGISTER_IP_MAX_ACCOUNTS,
        windowSeconds: config.REGISTER_WINDOW_SECONDS,
        ...(redis && { redis }),
      }),
    },
  );
  return { auth, users, chats, messages, jobs, transact };
}
