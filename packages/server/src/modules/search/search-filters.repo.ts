/**
 * The SQL both index backends put after their match: the viewer may read the message now
 * (a member of its chat today — not one who left or was removed; a private message only
 * for its two people), it is not deleted, and it meets the filters. `m` is the message and
 * `cm` the viewer's membership row, joined by the backend.
 */
import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { IndexQuery } from './search-index.js';

export const memberJoin = (viewerId: string) => sql`join chat_members cm on cm.chat_id = m.chat_id and cm.user_id = ${viewerId}`;

export function readableAndFiltered({ viewerId, filters }: IndexQuery): RawBuilder<SqlBool> {
  const conditions = [sql`m.deleted_at is null`, sql`(m.private_to is null or m.private_to = ${viewerId} or m.sender_id = ${viewerId})`];
  if (filters.chatId !== undefined) conditions.push(sql`m.chat_id = ${filters.chatId}`);
  if (filters.senderId !== undefined) conditions.push(sql`m.sender_id = ${filters.senderId}`);
  if (filters.from !== undefined) conditions.push(sql`m.created_at >= ${filters.from}`);
  if (filters.to !== undefined) conditions.push(sql`m.created_at < ${filters.to}`);
  if (filters.mentionsMe)
    conditions.push(
      sql`(exists (select 1 from mentions x where x.message_id = m.id and x.user_id = ${viewerId}) or (m.mentions_all = 1 and m.sender_id <> ${viewerId}))`,
    );
  if (filters.hasFile) conditions.push(sql`exists (select 1 from message_attachments a where a.message_id = m.id)`);
  if (filters.hasImage)
    conditions.push(
      sql`exists (select 1 from message_attachments a join files f on f.id = a.file_id where a.message_id = m.id and f.kind = 'image')`,
    );
  return sql<SqlBool>`${sql.join(conditions, sql` and `)}`;
}
