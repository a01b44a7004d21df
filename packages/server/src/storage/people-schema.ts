/**
 * Tables of people (issue 13, migration 0007-people): contact requests, each person's
 * own view of another (contact, alias, star, block), privacy settings, the notification
 * centre and pinned messages. Kept beside schema.ts, which lists them in `Database`.
 */
import type { Generated } from 'kysely';

export interface ContactRequestsTable {
  id: string;
  from_id: string;
  to_id: string;
  note: string;
  status: 'pending' | 'accepted' | 'declined' | 'cancelled';
  /** 1 when the recipient had blocked the sender: the request exists for the sender alone. */
  silenced: number;
  created_at: number;
  updated_at: number;
}

/** How `owner_id` files `other_id`; private to the owner. A row exists once anything is set. */
export interface RelationshipsTable {
  owner_id: string;
  other_id: string;
  contact: number;
  alias: string | null;
  starred: number;
  blocked: number;
  updated_at: number;
}

export interface PrivacySettingsTable {
  user_id: string;
  hide_email: number;
  direct_messages: 'everyone' | 'contacts' | 'nobody';
  group_invites: 'everyone' | 'contacts';
  last_seen: 'everyone' | 'contacts' | 'nobody';
  updated_at: number;
}

export interface NotificationsTable {
  id: string;
  user_id: string;
  kind: string;
  actor_id: string | null;
  chat_id: string | null;
  message_id: string | null;
  request_id: string | null;
  /** JSON object */
  data: string;
  read_at: number | null;
  created_at: number;
}

export interface PinnedMessagesTable {
  chat_id: string;
  message_id: string;
  pinned_by: string | null;
  pinned_at: number;
}

/** Columns 0007-people adds to chat_members: optional on insert. */
export interface ChatMemberOrganisation {
  /** Position among the member's pinned chats (smaller is higher); null when not pinned. */
  pin_order: Generated<number | null>;
  /** `last_seq` of the chat when it was archived; null when not archived. */
  archived_seq: Generated<number | null>;
}

/** Column 0007-people adds to chats. */
export interface ChatPinSetting {
  members_can_pin: Generated<number>;
}
