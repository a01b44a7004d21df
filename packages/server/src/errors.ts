/** Errors as values: a stable code from the protocol catalogue, a message, details. */
import { ERROR_STATUS, type ErrorCode } from '@parley/protocol';

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    /** Seconds after which a retry may succeed; sent as Retry-After. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.status = ERROR_STATUS[code];
  }
}

export const notFound = (code: ErrorCode = 'not_found', what = 'Resource') => new AppError(code, `${what} not found`);

export const validationFailed = (field: string, rule: string, message: string) =>
  new AppError('validation_failed', message, { location: 'body', field, rule });

/** An AppError as is, or null for anything unexpected (which callers log and hide). */
export const toAppErrorOrNull = (error: unknown): AppError | null => (error instanceof AppError ? error : null);
