/** The tables of issue 16's migrations (0011-conversations…): drafts. */

/** What a person typed in a chat and has not sent (I5); thread_root_id '' is the chat itself. */
export interface DraftsTable {
  user_id: string;
  chat_id: string;
  thread_root_id: string;
  text: string;
  updated_at: number;
}
