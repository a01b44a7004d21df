/**
 * Login throttling (A9). Every attempt first takes a slot, atomically, from three budgets
 * per window, and only then is the password checked, so parallel guesses cannot slip
 * past a limit that was read before it was counted:
 *  - per account and client address (`accountIpMaxFailures`, small): one stranger can
 *    only lock themselves out of someone else's account;
 *  - per account from everywhere (`accountMaxFailures`, larger): bounds guessing from
 *    many addresses, at the price that such an attack does lock the account for a window;
 *  - per client address (`ipMaxFailures`): bounds one address spraying many accounts.
 * Addresses count by addressKey (an IPv6 /64 is one client). A success gives its slots
 * back and clears the account+address count. Counters live in Redis when configured, so
 * every instance sees the same numbers.
 */
import type { Redis } from 'ioredis';
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../../errors.js';
import { addressKey } from './address-key.js';

export interface LoginThrottleOptions {
  accountMaxFailures: number;
  accountIpMaxFailures: number;
  ipMaxFailures: number;
  windowSeconds: number;
  redis?: Redis;
}

export interface LoginAttempt {
  /** The password was right: the attempt does not count as a failure. */
  succeeded(): Promise<void>;
}

export interface LoginThrottle {
  /**
   * Takes this attempt's slot from every budget, or throws rate_limited (with the time
   * until the first spent budget refills) and takes none. `account` is the resolved
   * account's id, or the typed login when no account matches, so an unknown name is
   * throttled exactly like a known one and the answer reveals nothing.
   */
  begin(account: string, ip: string): Promise<LoginAttempt>;
}

export function createLoginThrottle(options: LoginThrottleOptions): LoginThrottle {
  const make = (keyPrefix: string, points: number): RateLimiterAbstract =>
    options.redis
      ? new RateLimiterRedis({ storeClient: options.redis, keyPrefix, points, duration: options.windowSeconds })
      : new RateLimiterMemory({ keyPrefix, points, duration: options.windowSeconds });
  const byAccount = make('login_account', options.accountMaxFailures);
  const byAccountAndIp = make('login_account_ip', options.accountIpMaxFailures);
  const byIp = make('login_ip', options.ipMaxFailures);

  return {
    async begin(account, ip) {
      const client = addressKey(ip);
      const budgets = [
        { limiter: byAccount, key: account },
        { limiter: byAccountAndIp, key: `${account}|${client}` },
        { limiter: byIp, key: client },
      ];
      const taken = await Promise.allSettled(budgets.map(({ limiter, key }) => limiter.consume(key)));
      const refusals = taken.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
      if (refusals.length > 0) {
        // A refused attempt must not eat the budgets it got past: an address that is over
        // its own limit would otherwise still drain the account's.
        await Promise.all(budgets.map(({ limiter, key }, i) => (taken[i]?.status === 'fulfilled' ? limiter.reward(key, 1) : null)));
        const waits = refusals.map((refusal) => {
          if (!(refusal instanceof RateLimiterRes)) throw refusal;
          return refusal.msBeforeNext;
        });
        const retryAfterMs = Math.max(...waits);
        throw new AppError(
          'rate_limited',
          'Too many failed logins; try again later',
          { retryAfterMs },
          Math.max(1, Math.ceil(retryAfterMs / 1000)),
        );
      }
      return {
        async succeeded() {
          await Promise.all([byAccount.reward(account, 1), byAccountAndIp.delete(`${account}|${client}`), byIp.reward(client, 1)]);
        },
      };
    },
  };
}
