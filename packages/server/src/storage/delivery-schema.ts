/** The table of migration 0009-delivery (issue 17); the migration also adds users.language. */
/** Per member: the newest message seq one of their devices confirmed receiving (E10). */
export interface ChatDeliveryTable {
  chat_id: string;
  user_id: string;
  delivered_seq: number;
}
