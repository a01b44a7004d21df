/** Chat rows → API chats, for one viewer. */
import type { Chat, ChatMember, Message, PublicUser } from '@parley/protocol';
import type { ChatRow } from '../../access/chat-access.js';
import { toIso } from '../../clock.js';
import { presentUser } from '../users/users.present.js';
import type { UserRow } from '../users/users.repo.js';

export interface ViewerState {
  role: ChatMember['role'] | null;
  lastReadSeq: number;
  muted: boolean;
  unreadCount: number;
  mentionCount: number;
  lastMessage: Message | null;
  peer: PublicUser | null;
  /** The newest activity this viewer may see (chatsRepo.activitySeen). */
  activityAt: number;
}

/**
 * The parts of a chat every member sees alike; what chat events carry. `activityAt` is the
 * chat's last activity as its readers may see it (chatsRepo.activitySeen): the row's
 * last_activity_at may be a private message between two others.
 */
export const presentChatCore = (row: ChatRow, activityAt: number) => ({
  id: row.id,
  kind: row.kind,
  name: row.name,
  description: row.description,
  handle: row.handle,
  ownerId: row.owner_id,
  membersCanEdit: Boolean(row.members_can_edit),
  membersCanAdd: Boolean(row.members_can_add),
  membersCanPin: Boolean(row.members_can_pin),
  memberCount: Number(row.member_count),
  createdAt: toIso(row.created_at),
  lastActivityAt: toIso(activityAt),
  lastSeq: Number(row.last_seq),
  avatarId: row.avatar_id ?? null,
  archivedAt: row.archived_at == null ? null : toIso(row.archived_at),
});

export const presentChat = (row: ChatRow, { activityAt, ...viewer }: ViewerState): Chat => ({
  ...presentChatCore(row, activityAt),
  name: row.kind === 'direct' && viewer.peer ? viewer.peer.displayName : row.name,
  ...viewer,
});

export const presentMember = (
  user: UserRow,
  member: { role: ChatMember['role']; joined_at: number; last_read_seq: number; delivered_seq?: number | null },
  online: boolean,
  /** Members are presented to members, who share this chat; privacy settings and blocks may still hide it. */
  seesLastSeen: boolean,
): ChatMember => ({
  user: presentUser(user, { seesLastSeen }),
  role: member.role,
  joinedAt: toIso(member.joined_at),
  lastReadSeq: Number(member.last_read_seq),
  // Read implies delivered; a member no device of whom confirmed anything has no row.
  deliveredSeq: Math.max(Number(member.delivered_seq ?? 0), Number(member.last_read_seq)),
  online,
});
