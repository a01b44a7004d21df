/** People: public profiles, the signed-in user's own view, profile edits, search. */
import { type Static, Type } from '@sinclair/typebox';
import { ServerRole } from './admin.js';
import { Id, Name, Nullable, Page, PageQuery, Text, Timestamp } from './common.js';
import { UiLanguage } from './delivery.js';

export const USERNAME_PATTERN = '^[a-z0-9_.]{3,32}$';

/** Usernames are matched ignoring case: clients may type capitals, the server lowercases. */
export const Username = Type.String({
  minLength: 3,
  maxLength: 32,
  pattern: '^[A-Za-z0-9_.]{3,32}$',
  description: '3–32 characters: letters, digits, `_` and `.`; unique ignoring case',
});

export const DisplayName = Name({ minLength: 1, maxLength: 64 });
export const StatusText = Text({ maxLength: 140 });
export const Bio = Text({ maxLength: 1000 });

export const PublicUser = Type.Object({
  id: Id,
  username: Type.String(),
  displayName: Type.String(),
  statusText: Type.String(),
  bio: Type.String(),
  deleted: Type.Boolean(),
  /** A bot account (J8), run by a program on behalf of its owner. */
  bot: Type.Boolean(),
  createdAt: Timestamp,
  /** When the user was last connected; null if never, or if you share no chat with them. */
  lastSeenAt: Nullable(Timestamp),
  /** Their profile photo (a file id: GET /api/v1/files/:id/thumbnails/96|512); null: initials. */
  avatarId: Type.Optional(Nullable(Type.String())),
});
export type PublicUser = Static<typeof PublicUser>;

export const Me = Type.Object(
  {
    id: Id,
    username: Type.String(),
    email: Type.String(),
    displayName: Type.String(),
    statusText: Type.String(),
    bio: Type.String(),
    deleted: Type.Boolean(),
    createdAt: Timestamp,
    lastSeenAt: Nullable(Timestamp),
    avatarId: Type.Optional(Nullable(Type.String())),
    /** The app language chosen for this account (J10); null: each device follows its browser. */
    language: Nullable(UiLanguage),
    /** The email was confirmed by a link sent to it. */
    emailVerified: Type.Boolean(),
    /** The server role (A8): admin and moderator open the admin console. */
    role: ServerRole,
    /** Always false for a person; bots sign in with a bot token (J8). */
    bot: Type.Boolean(),
  },
  { description: 'The signed-in user, with private fields.' },
);
export type Me = Static<typeof Me>;

export const UpdateMeBody = Type.Object(
  {
    displayName: Type.Optional(DisplayName),
    statusText: Type.Optional(StatusText),
    bio: Type.Optional(Bio),
    language: Type.Optional(Nullable(UiLanguage)),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateMeBody = Static<typeof UpdateMeBody>;

export const DeleteMeBody = Type.Object({ password: Type.String({ minLength: 1, maxLength: 1024 }) }, { additionalProperties: false });
export type DeleteMeBody = Static<typeof DeleteMeBody>;

export const UserIdParams = Type.Object({ id: Id });

export const SearchUsersQuery = Type.Object({ q: Text({ minLength: 1, maxLength: 64 }), ...PageQuery }, { additionalProperties: false });
export type SearchUsersQuery = Static<typeof SearchUsersQuery>;

export const UserPage = Page(PublicUser);
export type UserPage = Static<typeof UserPage>;

export const UsernameAvailability = Type.Object({ username: Type.String(), available: Type.Boolean() });
export type UsernameAvailability = Static<typeof UsernameAvailability>;

export const UsernameAvailabilityQuery = Type.Object({ username: Text({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });
