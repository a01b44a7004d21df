/**
 * User groups (E20): named groups of people such as `@design`. Mentioning a group's
 * handle in a message mentions those of its members who are in that chat. Anyone signed
 * in may create a group; its creator (or a server admin) changes or deletes it.
 */
import { type Static, Type } from '@sinclair/typebox';
import { Id, Name, Timestamp } from './common.js';

/** Like a username: what follows `@` in a message. */
export const GroupHandle = Type.String({ minLength: 3, maxLength: 32, pattern: '^[A-Za-z0-9_]+$' });

export const UserGroup = Type.Object({
  id: Id,
  handle: Type.String(),
  name: Type.String(),
  creatorId: Type.Union([Type.String(), Type.Null()]),
  memberIds: Type.Array(Type.String()),
  createdAt: Timestamp,
});
export type UserGroup = Static<typeof UserGroup>;
export const UserGroupList = Type.Object({ items: Type.Array(UserGroup, { description: 'by handle' }) });
export type UserGroupList = Static<typeof UserGroupList>;

const MemberIds = Type.Array(Id, { maxItems: 1000, uniqueItems: true });
export const CreateUserGroupBody = Type.Object(
  { handle: GroupHandle, name: Name({ minLength: 1, maxLength: 64 }), memberIds: MemberIds },
  { additionalProperties: false },
);
export type CreateUserGroupBody = Static<typeof CreateUserGroupBody>;
export const UpdateUserGroupBody = Type.Object(
  { name: Type.Optional(Name({ minLength: 1, maxLength: 64 })), memberIds: Type.Optional(MemberIds) },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateUserGroupBody = Static<typeof UpdateUserGroupBody>;
