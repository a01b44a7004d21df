/** Typed client for the Parley REST API, grouped by domain. */
import type {
  AuthResult,
  ChangePasswordBody,
  LoginBody,
  Me,
  PublicUser,
  RegisterBody,
  SessionList,
  UpdateMeBody,
  UsernameAvailability,
  UserPage,
} from '@parley/protocol';
import { HttpClient, type HttpOptions } from './http.js';

export type ParleyClient = ReturnType<typeof createParleyClient>;

export function createParleyClient(options: HttpOptions) {
  const http = new HttpClient(options);
  const signedIn = (result: AuthResult) => {
    // Cookie-mode clients (browsers) keep using the cookie; API clients adopt the token.
    if (options.token !== undefined || !options.csrfToken) http.token = result.token;
    return result;
  };

  return {
    http,
    get token() {
      return http.token;
    },
    setToken(token: string | null) {
      http.token = token;
    },
    auth: {
      register: async (body: RegisterBody) => signedIn(await http.request<AuthResult>('POST', '/api/v1/auth/register', { body })),
      login: async (body: LoginBody) => signedIn(await http.request<AuthResult>('POST', '/api/v1/auth/login', { body })),
      logout: async () => {
        await http.request<void>('POST', '/api/v1/auth/logout');
        http.token = null;
      },
      sessions: () => http.request<SessionList>('GET', '/api/v1/auth/sessions'),
      revokeSession: (id: string) => http.request<void>('DELETE', `/api/v1/auth/sessions/${encodeURIComponent(id)}`),
      changePassword: (body: ChangePasswordBody) => http.request<void>('POST', '/api/v1/auth/password', { body }),
    },
    users: {
      me: () => http.request<Me>('GET', '/api/v1/users/me'),
      updateMe: (body: UpdateMeBody) => http.request<Me>('PATCH', '/api/v1/users/me', { body }),
      deleteMe: (password: string) => http.request<void>('DELETE', '/api/v1/users/me', { body: { password } }),
      get: (id: string) => http.request<PublicUser>('GET', `/api/v1/users/${encodeURIComponent(id)}`),
      search: (q: string, page: { cursor?: string; limit?: number } = {}) =>
        http.request<UserPage>('GET', '/api/v1/users', { query: { q, ...page } }),
      usernameAvailability: (username: string) =>
        http.request<UsernameAvailability>('GET', '/api/v1/users/availability', { query: { username } }),
    },
  };
}
