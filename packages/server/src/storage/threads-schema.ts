/** The tables of threads (E15, migration 0012-threads); the reply's own columns are on `messages`. */

/** A root's summary, from its first reply on; `repliers` is a JSON array of user ids, newest first. */
export interface ThreadsTable {
  root_id: string;
  chat_id: string;
  reply_count: number;
  last_reply_seq: number;
  last_reply_at: number;
  repliers: string;
  created_at: number;
}

/** One person's state of one thread. */
export interface ThreadMembersTable {
  user_id: string;
  root_id: string;
  chat_id: string;
  following: number;
  /** The chat seq of the last reply read (0: none). */
  last_read_seq: number;
  updated_at: number;
}

/** The newest reply of a thread pushed to a person, so reading the thread can close the notification (0017-thread-pushes). */
export interface PushNotifiedThreadsTable {
  user_id: string;
  root_id: string;
  chat_id: string;
  seq: number;
}
