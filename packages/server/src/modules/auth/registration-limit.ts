/**
 * Sign-ups per client address (A1): a budget of accounts per window, so one address
 * cannot create accounts by the hundred (each also costs an argon2 hash). The slot is
 * taken atomically before any work; a sign-up that fails (a taken name, a weak password)
 * gives it back, so only accounts actually created count. In Redis when configured.
 */
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../../errors.js';
import { addressKey } from './address-key.js';

export interface RegistrationLimitOptions {
  maxAccounts: number;
  windowSeconds: number;
  redis?: Redis;
}

export interface RegistrationLimit {
  /** Takes a sign-up slot for this address or throws rate_limited; `release` gives it back. */
  take(ip: string): Promise<{ release(): Promise<void> }>;
}

export function createRegistrationLimit(options: RegistrationLimitOptions): RegistrationLimit {
  const limiterOptions = { keyPrefix: 'register_ip', points: options.maxAccounts, duration: options.windowSeconds };
  const limiter = options.redis
    ? new RateLimiterRedis({ storeClient: options.redis, ...limiterOptions })
    : new RateLimiterMemory(limiterOptions);
  return {
    async take(ip) {
      const key = addressKey(ip);
      try {
        await limiter.consume(key);
      } catch (error) {
        if (!(error instanceof RateLimiterRes)) throw error;
        throw new AppError(
          'rate_limited',
          'Too many accounts created from this address; try again later',
          { retryAfterMs: error.msBeforeNext },
          Math.max(1, Math.ceil(error.msBeforeNext / 1000)),
        );
      }
      return { release: async () => void (await limiter.reward(key, 1)) };
    },
  };
}
