/**
 * The HTTP half of the SDK: one `request` that speaks the API's conventions (JSON in and
 * out, bearer or cookie+CSRF auth, the error shape) and turns errors into ParleyApiError.
 */
import { CSRF_HEADER, type ErrorBody, type ErrorCode } from '@parley/protocol';

export class ParleyApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'network_error',
    message: string,
    readonly details?: Record<string, unknown>,
    /** Seconds the server asked us to wait (Retry-After), if any. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ParleyApiError';
  }
}

export interface HttpOptions {
  /** Server origin, e.g. `http://localhost:8080`; empty for same-origin in a browser. */
  baseUrl: string;
  /** Bearer token for API clients; browsers leave it out and use the session cookie. */
  token?: string | null;
  fetch?: typeof fetch;
  /** Reads the CSRF cookie in a browser; required for cookie-authenticated writes. */
  csrfToken?: () => string | undefined;
  /** Extra headers on every request (e.g. a User-Agent for bots). */
  headers?: Record<string, string>;
}

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export type Query = Record<string, string | number | boolean | undefined | null>;

export class HttpClient {
  token: string | null;
  constructor(private readonly options: HttpOptions) {
    this.token = options.token ?? null;
  }

  get baseUrl() {
    return this.options.baseUrl;
  }

  async request<T>(method: Method, path: string, init: { body?: unknown; query?: Query } = {}): Promise<T> {
    const url = new URL(`${this.options.baseUrl}${path}`, this.options.baseUrl || globalThis.location?.href);
    for (const [key, value] of Object.entries(init.query ?? {})) {
      if (value !== undefined && value !== null) url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = { accept: 'application/json', ...this.options.headers };
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    else if (method !== 'GET') {
      const csrf = this.options.csrfToken?.();
      if (csrf) headers[CSRF_HEADER] = csrf;
    }
    const doFetch = this.options.fetch ?? globalThis.fetch;
    let response: Response;
    try {
      response = await doFetch(url, {
        method,
        headers,
        credentials: 'same-origin',
        ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
      });
    } catch (error) {
      throw new ParleyApiError(0, 'network_error', `Could not reach the server: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    const payload: unknown = text ? JSON.parse(text) : undefined;
    if (!response.ok) {
      const error = (payload as ErrorBody | undefined)?.error;
      const retryAfter = response.headers.get('retry-after');
      throw new ParleyApiError(
        response.status,
        error?.code ?? 'internal_error',
        error?.message ?? `HTTP ${response.status}`,
        error?.details,
        retryAfter ? Number(retryAfter) : undefined,
      );
    }
    return payload as T;
  }
}
