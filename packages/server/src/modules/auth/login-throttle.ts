/**
 * Login throttling (A9): failed attempts are counted per account identifier and per IP
 * within a window; past the limit, login answers 429 with Retry-After until the window
 * passes. A success clears the account's count. Counters live in Redis when configured,
 * so every instance sees the same numbers.
 */
import type { Redis } from 'ioredis';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, type RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../../errors.js';

export interface LoginThrottleOptions {
  accountMaxFailures: number;
  ipMaxFailures: number;
  windowSeconds: number;
  redis?: Redis;
}

export interface LoginThrottle {
  /** Throws rate_limited if either the account or the IP is over its limit. */
  check(account: string, ip: string): Promise<void>;
  recordFailure(account: string, ip: string): Promise<void>;
  recordSuccess(account: string): Promise<void>;
}

export function createLoginThrottle(options: LoginThrottleOptions): LoginThrottle {
  const make = (keyPrefix: string, points: number): RateLimiterAbstract =>
    options.redis
      ? new RateLimiterRedis({ storeClient: options.redis, keyPrefix, points, duration: options.windowSeconds })
      : new RateLimiterMemory({ keyPrefix, points, duration: options.windowSeconds });
  const byAccount = make('login_account', options.accountMaxFailures);
  const byIp = make('login_ip', options.ipMaxFailures);

  const limited = (res: RateLimiterRes) =>
    new AppError('rate_limited', 'Too many failed logins; try again later', undefined, Math.max(1, Math.ceil(res.msBeforeNext / 1000)));

  return {
    async check(account, ip) {
      const [a, i] = await Promise.all([byAccount.get(account), byIp.get(ip)]);
      for (const [res, max] of [
        [a, options.accountMaxFailures],
        [i, options.ipMaxFailures],
      ] as const) {
        if (res && res.consumedPoints >= max) throw limited(res);
      }
    },
    async recordFailure(account, ip) {
      // Over-limit consumption rejects; the next check reports it, so swallow here.
      await Promise.allSettled([byAccount.consume(account), byIp.consume(ip)]);
    },
    async recordSuccess(account) {
      await byAccount.delete(account);
    },
  };
}
