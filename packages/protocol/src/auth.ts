/** Accounts and sessions: register, login, logout, password change, session list. */
import { type Static, Type } from '@sinclair/typebox';
import { Id, Nullable, Text, Timestamp } from './common.js';
import { DisplayName, Me, Username } from './users.js';

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

/** Any Unicode, 8–128 characters (counted as code points by the server). */
export const Password = Type.String({ minLength: 1, maxLength: 512 });

/** Surrounding spaces are tolerated (forms paste them); the server trims and lowercases. */
export const Email = Type.String({ maxLength: 254, pattern: '^\\s*[^\\s@\\u0000]+@[^\\s@\\u0000]+\\.[^\\s@\\u0000]+\\s*$' });

export const RegisterBody = Type.Object(
  {
    email: Email,
    username: Username,
    password: Password,
    displayName: Type.Optional(DisplayName),
    /** The code of an invite link, needed when the server's sign-up is invite-only. */
    invite: Type.Optional(Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9_-]+$' })),
  },
  { additionalProperties: false },
);
export type RegisterBody = Static<typeof RegisterBody>;

export const LoginBody = Type.Object(
  {
    login: Text({ minLength: 1, maxLength: 254, description: 'Username or email' }),
    password: Type.String({ minLength: 1, maxLength: 1024 }),
  },
  { additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBody>;

export const AuthResult = Type.Object({
  user: Me,
  /** The session token: send as `Authorization: Bearer <token>`. Shown once. */
  token: Type.String(),
});
export type AuthResult = Static<typeof AuthResult>;

export const ChangePasswordBody = Type.Object(
  { oldPassword: Type.String({ minLength: 1, maxLength: 1024 }), newPassword: Password },
  { additionalProperties: false },
);
export type ChangePasswordBody = Static<typeof ChangePasswordBody>;

export const Session = Type.Object({
  id: Id,
  current: Type.Boolean(),
  userAgent: Type.String(),
  ip: Type.String(),
  createdAt: Timestamp,
  lastSeenAt: Timestamp,
  expiresAt: Nullable(Timestamp),
});
export type Session = Static<typeof Session>;

export const SessionList = Type.Object({ items: Type.Array(Session) });
export type SessionList = Static<typeof SessionList>;

export const SessionIdParams = Type.Object({ id: Id });

/** Name of the cookie that carries the session in browsers, and of its CSRF twin. */
export const SESSION_COOKIE = 'parley_session';
export const CSRF_COOKIE = 'parley_csrf';
export const CSRF_HEADER = 'x-csrf-token';
