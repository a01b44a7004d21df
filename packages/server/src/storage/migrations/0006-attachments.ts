/**
 * Files and attachments (issue 11): uploaded files with what their content turned out to
 * be, the link from messages to files, and avatars of people and groups.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('files')
    // 128 random bits: file URLs cannot be guessed from another file's.
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('owner_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    // Declared at upload creation (tus Upload-Length); counted against the quota from then.
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('sha256', 'text')
    // Judged from the content once the upload is complete; null while uploading.
    .addColumn('mime', 'text')
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('file'))
    .addColumn('inline', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('width', 'integer')
    .addColumn('height', 'integer')
    .addColumn('duration_ms', 'bigint')
    .addColumn('placeholder', 'text')
    .addColumn('waveform', 'text')
    .addColumn('animated', 'integer', (c) => c.notNull().defaultTo(0))
    // 'none' | 'pending' | 'ready' | 'failed': the thumbnail job's progress.
    .addColumn('thumbnails', 'text', (c) => c.notNull().defaultTo('none'))
    .addColumn('storage_key', 'text', (c) => c.notNull())
    // 'uploading' | 'ready' | 'released' (no message holds it any more; bytes go after the grace period).
    .addColumn('state', 'text', (c) => c.notNull())
    // 1 once a message carried it: from then on only chat members may fetch it, not the owner alone.
    .addColumn('linked', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('ready_at', 'bigint')
    .addColumn('released_at', 'bigint')
    .execute();
  await db.schema.createIndex('files_owner_state').on('files').columns(['owner_id', 'state']).execute();

  await db.schema
    .createTable('message_attachments')
    .addColumn('message_id', 'text', (c) => c.notNull().references('messages.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('file_id', 'text', (c) => c.notNull().references('files.id'))
    .addColumn('chat_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    // The gallery tab it shows under: 'media' | 'files' | 'voice'.
    .addColumn('tab', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('message_attachments_pk', ['message_id', 'position'])
    .execute();
  await db.schema.createIndex('message_attachments_file').on('message_attachments').column('file_id').execute();
  await db.schema.createIndex('message_attachments_gallery').on('message_attachments').columns(['chat_id', 'tab', 'seq']).execute();

  await db.schema.alterTable('users').addColumn('avatar_id', 'text').execute();
  await db.schema.alterTable('chats').addColumn('avatar_id', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('chats').dropColumn('avatar_id').execute();
  await db.schema.alterTable('users').dropColumn('avatar_id').execute();
  await db.schema.dropTable('message_attachments').execute();
  await db.schema.dropTable('files').execute();
}
