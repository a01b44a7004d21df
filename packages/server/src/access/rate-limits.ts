/**
 * How often a person may change things: per-user budgets that every state-changing service
 * method spends from, after its access check and before it writes, so REST and WebSocket
 * share them. Over budget the answer is `rate_limited` with `details.retryAfterMs` (and
 * Retry-After over HTTP). With Redis the counters live there, shared by every instance.
 *
 * Three budgets, because the three kinds of traffic differ by orders of magnitude:
 * - `send`: messages and forwards (WS_SEND_RATE_PER_SECOND, WS_SEND_BURST);
 * - `action`: every other change — renames, edits, deletes, reactions, member and role
 *   changes, chat creation, joins and leaves, mute, profile edits (ACTION_RATE_PER_SECOND,
 *   ACTION_BURST). A person clicking reacts or deletes maybe once a second; each of these
 *   can fan out to every member or leave a system message, so floods must stop early;
 * - `readTyping`: read marks and typing signals (READ_TYPING_RATE_PER_SECOND,
 *   READ_TYPING_BURST). Clients send these on their own as a person reads and types (the
 *   web app up to four read marks a second per chat, typing every three seconds), so they
 *   get a larger budget of their own and never use up the one for deliberate actions.
 */
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../errors.js';

export type RateBudget = 'send' | 'action' | 'readTyping';

export interface RateLimits {
  /** Spends one unit of the user's budget; throws rate_limited when none is left. */
  consume(budget: RateBudget, userId: string): Promise<void>;
}

export interface BudgetSettings {
  /** Sustained units per second. */
  ratePerSecond: number;
  /** Units that may be spent at once. */
  burst: number;
}

const KEY_PREFIX: Record<RateBudget, string> = { send: 'send', action: 'action', readTyping: 'read-typing' };

const REFUSAL: Record<RateBudget, string> = {
  send: 'Sending too fast; slow down',
  action: 'Too many changes in a short time; slow down',
  readTyping: 'Too many read marks or typing signals; slow down',
};

export function createRateLimits(budgets: Record<RateBudget, BudgetSettings>, redis?: Redis): RateLimits {
  const limiters = Object.fromEntries(
    (Object.keys(budgets) as RateBudget[]).map((budget) => {
      const { ratePerSecond, burst } = budgets[budget];
      // `burst` units per window, the window as long as the rate takes to refill them.
      const options = { keyPrefix: KEY_PREFIX[budget], points: burst, duration: Math.max(1, Math.ceil(burst / ratePerSecond)) };
      return [budget, redis ? new RateLimiterRedis({ storeClient: redis, ...options }) : new RateLimiterMemory(options)];
    }),
  ) as Record<RateBudget, RateLimiterMemory | RateLimiterRedis>;

  return {
    async consume(budget, userId) {
      try {
        await limiters[budget].consume(userId);
      } catch (error) {
        if (!(error instanceof RateLimiterRes)) throw error;
        throw new AppError(
          'rate_limited',
          REFUSAL[budget],
          { retryAfterMs: error.msBeforeNext },
          Math.max(1, Math.ceil(error.msBeforeNext / 1000)),
        );
      }
    },
  };
}
