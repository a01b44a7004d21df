/**
 * Password-reset budgets (A6): requests per address and per client address, and code
 * guesses per client address, each per window — so nobody can mail-bomb an inbox, or
 * try codes by the thousand. The same answer (429) whether or not the address has an
 * account. Counters in Redis when configured.
 */
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../../errors.js';
import { addressKey } from './address-key.js';

export interface ResetLimitOptions {
  perAddress: number;
  perIp: number;
  windowSeconds: number;
  redis?: Redis;
}

export interface ResetLimits {
  /** Takes a request slot for this email address and client address, or throws rate_limited. */
  request(email: string, ip: string): Promise<void>;
  /** Takes a confirmation attempt (a code or link typed) for this client address. */
  attempt(ip: string): Promise<void>;
}

/** Code guesses per client address per window, a multiple of the request budget. */
const ATTEMPTS_PER_REQUEST = 5;

export function createResetLimits(options: ResetLimitOptions): ResetLimits {
  const limiter = (keyPrefix: string, points: number) => {
    const o = { keyPrefix, points, duration: options.windowSeconds };
    return options.redis ? new RateLimiterRedis({ storeClient: options.redis, ...o }) : new RateLimiterMemory(o);
  };
  const byEmail = limiter('reset_email', options.perAddress);
  const byIp = limiter('reset_ip', options.perIp);
  const attempts = limiter('reset_attempt_ip', options.perIp * ATTEMPTS_PER_REQUEST);

  async function take(l: RateLimiterMemory | RateLimiterRedis, key: string) {
    try {
      await l.consume(key);
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      throw new AppError(
        'rate_limited',
        'Too many password reset requests; try again later',
        { retryAfterMs: error.msBeforeNext },
        Math.max(1, Math.ceil(error.msBeforeNext / 1000)),
      );
    }
  }

  return {
    async request(email, ip) {
      await take(byIp, addressKey(ip));
      await take(byEmail, email);
    },
    attempt: (ip) => take(attempts, addressKey(ip)),
  };
}
