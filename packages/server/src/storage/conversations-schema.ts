/** The tables of issue 16's migrations (0011-conversations…): drafts, polls, scheduled messages, reminders, user groups. */

/** What a person typed in a chat and has not sent (I5); thread_root_id '' is the chat itself. */
export interface DraftsTable {
  user_id: string;
  chat_id: string;
  thread_root_id: string;
  text: string;
  updated_at: number;
}

/** A poll (E16), keyed by its message; `options` is a JSON array of the option texts. */
export interface PollsTable {
  message_id: string;
  chat_id: string;
  creator_id: string | null;
  question: string;
  options: string;
  multiple: number;
  anonymous: number;
  closes_at: number | null;
  closed_at: number | null;
  created_at: number;
}

/** One chosen option of one person in one poll. */
export interface PollVotesTable {
  poll_id: string;
  user_id: string;
  option: number;
  voted_at: number;
}

/** A message to be sent at `send_at` by its author (E17). */
export interface ScheduledMessagesTable {
  id: string;
  user_id: string;
  chat_id: string;
  text: string;
  send_at: number;
  status: 'pending' | 'failed';
  error: string | null;
  created_at: number;
}

/** "Remind me about this message" at `remind_at` (E17). */
export interface RemindersTable {
  id: string;
  user_id: string;
  chat_id: string;
  message_id: string;
  remind_at: number;
  created_at: number;
}

/** A named group of people, mentionable as `@handle` (E20); handles are stored lower-cased. */
export interface UserGroupsTable {
  id: string;
  handle: string;
  name: string;
  creator_id: string | null;
  created_at: number;
}

export interface UserGroupMembersTable {
  group_id: string;
  user_id: string;
}
