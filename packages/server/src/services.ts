/** Builds every service once, wired to storage and to the event sink. */

import type { Redis } from 'ioredis';
import type { Config } from './config.js';
import { createAuthService } from './modules/auth/auth.service.js';
import { createLoginThrottle } from './modules/auth/login-throttle.js';
import { createUsersService } from './modules/users/users.service.js';
import type { Storage } from './storage/database.js';

export type Services = ReturnType<typeof createServices>;

export function createServices(config: Config, storage: Storage, redis: Redis | undefined) {
  const throttle = createLoginThrottle({
    accountMaxFailures: config.LOGIN_ACCOUNT_MAX_FAILURES,
    ipMaxFailures: config.LOGIN_IP_MAX_FAILURES,
    windowSeconds: config.LOGIN_THROTTLE_WINDOW_SECONDS,
    ...(redis && { redis }),
  });
  const users = createUsersService(storage, { userUpdated: () => {} });
  const auth = createAuthService(
    storage,
    throttle,
    { sessionsEnded: () => {}, accountDeleted: async () => {} },
    { sessionTtlDays: config.SESSION_TTL_DAYS },
  );
  return { auth, users };
}
