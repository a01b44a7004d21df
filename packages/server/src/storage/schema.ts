/**
 * The database as Kysely sees it: one interface per table. Timestamps are integer
 * milliseconds since the epoch on both dialects, so ordering and arithmetic agree.
 */
import type { Generated } from 'kysely';
import type {
  AuditLogTable,
  BotScopesTable,
  BotTokensTable,
  ChatAdminColumns,
  DataExportsTable,
  InvitesTable,
  ServerSettingsTable,
  UserAdminColumns,
  WebhooksTable,
} from './admin-schema.js';
import type {
  DraftsTable,
  PollsTable,
  PollVotesTable,
  RemindersTable,
  ScheduledMessagesTable,
  UserGroupMembersTable,
  UserGroupsTable,
} from './conversations-schema.js';
import type { ChatDeliveryTable } from './delivery-schema.js';
import type {
  ChatPushLevelsTable,
  EmailTokensTable,
  NotificationSettingsTable,
  PushNotifiedTable,
  PushSubscriptionsTable,
  ServerKeysTable,
} from './notifications-schema.js';
import type {
  ChatMemberOrganisation,
  ChatPinSetting,
  ContactRequestsTable,
  NotificationsTable,
  PinnedMessagesTable,
  PrivacySettingsTable,
  RelationshipsTable,
} from './people-schema.js';
import type { PreviewsEmojiTables } from './previews-emoji-schema.js';
import type { MessageFtsTable, MessageSearchTable, SearchBackfillTable } from './search-schema.js';
import type { PushNotifiedThreadsTable, ThreadMembersTable, ThreadsTable } from './threads-schema.js';

export interface UsersTable extends UserAdminColumns {
  id: string;
  username: string;
  /** The app language chosen for the account (J10, migration 0009); null follows each browser. */
  language: Generated<string | null>;
  email: string | null;
  display_name: string;
  /** Lowercased display name, for prefix search that ignores case on both dialects. */
  display_name_search: string;
  status_text: string;
  bio: string;
  password_hash: string | null;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
  last_seen_at: number | null;
  /** When the current email was confirmed by a link sent to it; null while unverified. */
  email_verified_at: number | null;
  /** Position of the newest event in this user's own stream (`u:<id>`). */
  event_seq: Generated<number>;
  /** The avatar image (files.id), if set. */
  avatar_id: Generated<string | null>;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  /** SHA-256 of the token; the token itself is never stored. */
  token_hash: string;
  user_agent: string;
  ip: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
}

export interface ChatsTable extends ChatPinSetting, ChatAdminColumns {
  id: string;
  kind: 'direct' | 'group' | 'room';
  name: string;
  name_search: string;
  description: string;
  handle: string | null;
  direct_key: string | null;
  owner_id: string | null;
  members_can_edit: number;
  members_can_add: number;
  member_count: number;
  /** Sequence number of the newest message: messages are numbered 1, 2, 3… per chat. */
  last_seq: number;
  /** Position of the newest event in this chat's stream (`c:<id>`); not the message seq. */
  event_seq: Generated<number>;
  created_at: number;
  last_activity_at: number;
  /** The group's avatar image (files.id), if set. */
  avatar_id: Generated<string | null>;
}

export interface ChatMembersTable extends ChatMemberOrganisation {
  chat_id: string;
  user_id: string;
  role: 'owner' | 'admin' | 'member';
  joined_at: number;
  last_read_seq: number;
  muted: number;
  /** Stream position of the event that added this member; they see nothing before it. */
  joined_seq: Generated<number>;
}

export interface MessagesTable {
  id: string;
  chat_id: string;
  seq: number;
  kind: 'text' | 'system';
  sender_id: string | null;
  client_id: string | null;
  text: string;
  reply_to_id: string | null;
  /** JSON ForwardedFrom */
  forwarded_from: string | null;
  private_to: string | null;
  /** JSON SystemInfo */
  system: string | null;
  /** JSON array of mentioned user ids */
  mentions: string;
  /** 1 when the text mentions `@all`: every member but the sender, without a row each. */
  mentions_all: Generated<number>;
  /** A thread reply (E15, migration 0012): its root message. */
  thread_root_id: Generated<string | null>;
  /** 1: a thread reply also sent to the chat, where it shows too. */
  also_to_chat: Generated<number>;
  created_at: number;
  edited_at: number | null;
  deleted_at: number | null;
}

export interface ReactionsTable {
  message_id: string;
  user_id: string;
  emoji: string;
  created_at: number;
}

export interface MentionsTable {
  chat_id: string;
  user_id: string;
  seq: number;
  message_id: string;
}

export interface EventsTable {
  /** `c:<chatId>` or `u:<userId>`. */
  stream: string;
  /** 1, 2, 3… per stream, without gaps, in commit order. */
  seq: number;
  name: string;
  /** For private messages: only these two members see the event. */
  private_a: string | null;
  private_b: string | null;
  /** Message events: rebuilt from this message's current row when read back. */
  message_id: string | null;
  /** JSON payload; for message events without the message itself. */
  data: string;
  created_at: number;
}

/** Durable background work (modules/jobs); a row lives until it succeeds or fails for good. */
export interface JobsTable {
  id: string;
  kind: string;
  /** JSON */
  payload: string;
  unique_key: string | null;
  status: 'pending' | 'running' | 'failed';
  run_at: number;
  attempts: number;
  max_attempts: number;
  locked_by: string | null;
  locked_until: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

/** A stored part of an upload in progress (migration 0015, modules/attachments/storage-upload-store.ts). */
export interface UploadPartsTable {
  upload_id: string;
  start_offset: number;
  size: number;
  storage_key: string;
}

/** An uploaded file (files/, modules/attachments). */
export interface FilesTable {
  id: string;
  owner_id: string;
  purpose: 'attachment' | 'voice' | 'avatar';
  name: string;
  size: number;
  sha256: string | null;
  mime: string | null;
  kind: 'image' | 'video' | 'audio' | 'voice' | 'file';
  inline: number;
  width: number | null;
  height: number | null;
  duration_ms: number | null;
  placeholder: string | null;
  waveform: string | null;
  animated: number;
  thumbnails: 'none' | 'pending' | 'ready' | 'failed';
  storage_key: string;
  state: 'uploading' | 'ready' | 'released';
  linked: number;
  created_at: number;
  ready_at: number | null;
  released_at: number | null;
}

export interface MessageAttachmentsTable {
  message_id: string;
  position: number;
  file_id: string;
  chat_id: string;
  seq: number;
  tab: 'media' | 'files' | 'voice';
}

/** `PreviewsEmojiTables`: link previews and custom emoji (previews-emoji-schema.ts). */
export interface Database extends PreviewsEmojiTables {
  users: UsersTable;
  sessions: SessionsTable;
  chats: ChatsTable;
  chat_members: ChatMembersTable;
  messages: MessagesTable;
  reactions: ReactionsTable;
  mentions: MentionsTable;
  events: EventsTable;
  chat_delivery: ChatDeliveryTable;
  drafts: DraftsTable;
  threads: ThreadsTable;
  thread_members: ThreadMembersTable;
  polls: PollsTable;
  poll_votes: PollVotesTable;
  scheduled_messages: ScheduledMessagesTable;
  reminders: RemindersTable;
  user_groups: UserGroupsTable;
  user_group_members: UserGroupMembersTable;
  contact_requests: ContactRequestsTable;
  relationships: RelationshipsTable;
  privacy_settings: PrivacySettingsTable;
  notifications: NotificationsTable;
  pinned_messages: PinnedMessagesTable;
  jobs: JobsTable;
  message_fts: MessageFtsTable;
  message_search: MessageSearchTable;
  search_backfill: SearchBackfillTable;
  files: FilesTable;
  upload_parts: UploadPartsTable;
  message_attachments: MessageAttachmentsTable;
  email_tokens: EmailTokensTable;
  server_keys: ServerKeysTable;
  push_subscriptions: PushSubscriptionsTable;
  chat_push_levels: ChatPushLevelsTable;
  notification_settings: NotificationSettingsTable;
  push_notified: PushNotifiedTable;
  push_notified_threads: PushNotifiedThreadsTable;
  server_settings: ServerSettingsTable;
  audit_log: AuditLogTable;
  invites: InvitesTable;
  bot_tokens: BotTokensTable;
  bot_scopes: BotScopesTable;
  webhooks: WebhooksTable;
  data_exports: DataExportsTable;
}

export type { Generated };
