/** SQL for files and the attachments of messages: quota, access, gallery pages, reclaiming. */
import type { Expression, ExpressionBuilder, Kysely, Selectable, SqlBool } from 'kysely';
import { isPostgres } from '../../storage/dialect.js';
import { contains } from '../../storage/like.js';
import type { Database, FilesTable, MessageAttachmentsTable } from '../../storage/schema.js';

export type FileRow = Selectable<FilesTable>;
export type AttachmentLink = Selectable<MessageAttachmentsTable>;

/** An upload older than `before` that is unfinished, or finished and neither sent nor anyone's avatar. */
const abandoned =
  (before: number) =>
  (eb: ExpressionBuilder<Database, 'files'>): Expression<SqlBool> =>
    eb.and([
      eb('files.created_at', '<', before),
      eb.or([eb('files.state', '=', 'uploading'), eb.and([eb('files.state', '=', 'ready'), eb('files.linked', '=', 0)])]),
      eb.not(eb.exists(eb.selectFrom('users').select('users.id').whereRef('users.avatar_id', '=', 'files.id'))),
      eb.not(eb.exists(eb.selectFrom('chats').select('chats.id').whereRef('chats.avatar_id', '=', 'files.id'))),
    ]);

export const attachmentsRepo = (db: Kysely<Database>) => ({
  findFile: (id: string) => db.selectFrom('files').selectAll().where('id', '=', id).executeTakeFirst(),

  updateFile: (id: string, changes: Partial<Omit<FileRow, 'id'>>) => db.updateTable('files').set(changes).where('id', '=', id).execute(),

  deleteFile: (id: string) => db.deleteFrom('files').where('id', '=', id).execute(),

  /** Bytes the user holds: finished files not yet released, and uploads in progress at their declared length. */
  async bytesHeld(ownerId: string): Promise<number> {
    const row = await db
      .selectFrom('files')
      .select((eb) => eb.fn.sum<number | string | null>('size').as('total'))
      .where('owner_id', '=', ownerId)
      .where('state', '!=', 'released')
      .executeTakeFirst();
    return Number(row?.total ?? 0);
  },

  /**
   * Adds an upload's row only if the owner's bytes held plus its size stay within the
   * quota, as one transaction: the sum and the insert cannot interleave with another
   * upload's, so concurrent uploads cannot together outrun the quota. On PostgreSQL the
   * owner's users row is locked first (READ COMMITTED would let two sums see the same
   * total); on SQLite the transaction holds the only connection.
   * Returns the bytes held when it refused, null when the row was added.
   */
  insertWithinQuota: (row: FileRow, quotaBytes: number): Promise<number | null> =>
    db.transaction().execute(async (trx) => {
      if (isPostgres(trx)) await trx.selectFrom('users').select('id').where('id', '=', row.owner_id).forUpdate().execute();
      const held = await attachmentsRepo(trx).bytesHeld(row.owner_id);
      if (held + row.size > quotaBytes) return held;
      await trx.insertInto('files').values(row).execute();
      return null;
    }),

  /** The actor's own ready files among `ids`. */
  ownReadyFiles: (ownerId: string, ids: string[]) =>
    db.selectFrom('files').selectAll().where('id', 'in', ids).where('owner_id', '=', ownerId).where('state', '=', 'ready').execute(),

  filesByIds: (ids: string[]) => db.selectFrom('files').selectAll().where('id', 'in', ids).execute(),

  /** Whether a message carrying the file is one the user sees, in a chat they are a member of now. */
  async visibleThroughMessage(fileId: string, userId: string): Promise<boolean> {
    const row = await db
      .selectFrom('message_attachments')
      .innerJoin('messages', 'messages.id', 'message_attachments.message_id')
      .innerJoin('chat_members', (join) =>
        join.onRef('chat_members.chat_id', '=', 'message_attachments.chat_id').on('chat_members.user_id', '=', userId),
      )
      .select('message_attachments.message_id')
      .where('message_attachments.file_id', '=', fileId)
      .where('messages.deleted_at', 'is', null)
      .where((eb) =>
        eb.or([eb('messages.private_to', 'is', null), eb('messages.private_to', '=', userId), eb('messages.sender_id', '=', userId)]),
      )
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  },

  /** Whether the file is someone's avatar (those any signed-in user may see). */
  async isAvatar(fileId: string): Promise<boolean> {
    const user = await db.selectFrom('users').select('id').where('avatar_id', '=', fileId).limit(1).executeTakeFirst();
    if (user) return true;
    const chat = await db.selectFrom('chats').select('id').where('avatar_id', '=', fileId).limit(1).executeTakeFirst();
    return chat !== undefined;
  },

  /**
   * Uploads created before `before` that nothing will ever use: never finished, or finished
   * but never sent (`linked` stays 0) and nobody's avatar.
   */
  abandonedFiles: (before: number, limit: number) =>
    db.selectFrom('files').selectAll().where(abandoned(before)).orderBy('created_at').limit(limit).execute(),

  /** Deletes the row if it is still abandoned (not sent or made an avatar meanwhile); true if it was. */
  async deleteAbandoned(id: string, before: number): Promise<boolean> {
    const result = await db.deleteFrom('files').where('id', '=', id).where(abandoned(before)).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  },

  /** Which of these ids are uploads still in progress (their staged bytes are wanted). */
  uploadingAmong: async (ids: string[]) =>
    ids.length === 0
      ? new Set<string>()
      : new Set(
          (await db.selectFrom('files').select('id').where('id', 'in', ids).where('state', '=', 'uploading').execute()).map((r) => r.id),
        ),

  insertLinks: (links: AttachmentLink[]) => db.insertInto('message_attachments').values(links).execute(),

  markLinked: (ids: string[]) => db.updateTable('files').set({ linked: 1 }).where('id', 'in', ids).where('linked', '=', 0).execute(),

  /** Attachments of these messages with their files, in message order then position. */
  attachmentsOf: (messageIds: string[]) =>
    db
      .selectFrom('message_attachments')
      .innerJoin('files', 'files.id', 'message_attachments.file_id')
      .selectAll('files')
      .select(['message_attachments.message_id', 'message_attachments.position'])
      .where('message_attachments.message_id', 'in', messageIds)
      .orderBy('message_attachments.message_id')
      .orderBy('message_attachments.position')
      .execute(),

  /** Removes a message's links; returns the files they pointed to. */
  async unlinkMessage(messageId: string): Promise<string[]> {
    const rows = await db.selectFrom('message_attachments').select('file_id').where('message_id', '=', messageId).execute();
    if (rows.length > 0) await db.deleteFrom('message_attachments').where('message_id', '=', messageId).execute();
    return rows.map((r) => r.file_id);
  },

  linkCount: async (fileId: string) =>
    Number(
      (
        await db
          .selectFrom('message_attachments')
          .select((eb) => eb.fn.countAll<number | string>().as('n'))
          .where('file_id', '=', fileId)
          .executeTakeFirst()
      )?.n ?? 0,
    ),

  /** Gallery: attachments of one tab, newest message first, the viewer's visible messages only. */
  galleryAttachments: (chatId: string, viewerId: string, tab: 'media' | 'files' | 'voice', beforeSeq: number | null, limit: number) =>
    db
      .selectFrom('message_attachments')
      .innerJoin('messages', 'messages.id', 'message_attachments.message_id')
      .innerJoin('files', 'files.id', 'message_attachments.file_id')
      .selectAll('files')
      .select(['messages.id as message_id', 'messages.seq', 'messages.sender_id', 'messages.created_at as sent_at', 'messages.text'])
      .where('message_attachments.chat_id', '=', chatId)
      .where('message_attachments.tab', '=', tab)
      .where('messages.deleted_at', 'is', null)
      .where((eb) =>
        eb.or([eb('messages.private_to', 'is', null), eb('messages.private_to', '=', viewerId), eb('messages.sender_id', '=', viewerId)]),
      )
      .$if(beforeSeq !== null, (qb) => qb.where('message_attachments.seq', '<', beforeSeq ?? 0))
      .orderBy('message_attachments.seq', 'desc')
      .orderBy('message_attachments.position', 'asc')
      .limit(limit)
      .execute(),

  /** Gallery links tab: messages whose text holds a URL, newest first. */
  linkMessages: (chatId: string, viewerId: string, beforeSeq: number | null, limit: number) =>
    db
      .selectFrom('messages')
      .select(['id', 'seq', 'sender_id', 'created_at', 'text'])
      .where('chat_id', '=', chatId)
      .where('deleted_at', 'is', null)
      .where((eb) => eb.or([eb('private_to', 'is', null), eb('private_to', '=', viewerId), eb('sender_id', '=', viewerId)]))
      .where((eb) => eb.or([contains(eb.ref('text'), 'http://'), contains(eb.ref('text'), 'https://')]))
      .$if(beforeSeq !== null, (qb) => qb.where('seq', '<', beforeSeq ?? 0))
      .orderBy('seq', 'desc')
      .limit(limit)
      .execute(),

  setUserAvatar: (userId: string, fileId: string | null) =>
    db.updateTable('users').set({ avatar_id: fileId }).where('id', '=', userId).execute(),
  setChatAvatar: (chatId: string, fileId: string | null) =>
    db.updateTable('chats').set({ avatar_id: fileId }).where('id', '=', chatId).execute(),
});
