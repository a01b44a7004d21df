/**
 * Running a server (issue 15): server roles and suspension on users, archive and
 * retention on chats, stored server settings, invites, the audit log, bots (tokens and
 * scopes), webhooks and data exports.
 */
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  const addTo = (table: string) => db.schema.alterTable(table);
  await addTo('users')
    .addColumn('server_role', 'text', (c) => c.notNull().defaultTo('user'))
    .execute();
  await addTo('users').addColumn('suspended_at', 'bigint').execute();
  await addTo('users').addColumn('suspended_reason', 'text').execute();
  // A bot account names the person who runs it; people have null.
  await addTo('users').addColumn('bot_owner_id', 'text').execute();
  await addTo('chats').addColumn('archived_at', 'bigint').execute();
  await addTo('chats').addColumn('retention_days', 'integer').execute();

  await db.schema
    .createTable('server_settings')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text')
    .addColumn('details', 'text', (c) => c.notNull())
    .addColumn('ip', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_log_at').on('audit_log').columns(['at', 'id']).execute();

  await db.schema
    .createTable('invites')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('code_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_by', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint')
    .addColumn('max_uses', 'integer')
    .addColumn('uses', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('revoked_at', 'bigint')
    .execute();

  await db.schema
    .createTable('bot_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('bot_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('bot_tokens_bot').on('bot_tokens').column('bot_id').execute();

  await db.schema
    .createTable('bot_scopes')
    .addColumn('bot_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('chat_id', 'text', (c) => c.notNull().references('chats.id').onDelete('cascade'))
    .addColumn('can_post', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('bot_scopes_pk', ['bot_id', 'chat_id'])
    .execute();

  await db.schema
    .createTable('webhooks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('chat_id', 'text', (c) => c.notNull().references('chats.id').onDelete('cascade'))
    .addColumn('direction', 'text', (c) => c.notNull())
    .addColumn('bot_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    // Incoming: SHA-256 of the secret in the URL. Outgoing: the target, signing secret, trigger.
    .addColumn('token_hash', 'text')
    .addColumn('url', 'text')
    .addColumn('secret', 'text')
    .addColumn('trigger_word', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('webhooks_token')
    .on('webhooks')
    .column('token_hash')
    .unique()
    .where(sql.ref('token_hash'), 'is not', null)
    .execute();
  await db.schema.createIndex('webhooks_chat').on('webhooks').columns(['chat_id', 'direction']).execute();

  await db.schema
    .createTable('data_exports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text')
    .addColumn('path', 'text')
    .addColumn('size', 'bigint')
    .addColumn('error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('ready_at', 'bigint')
    .addColumn('expires_at', 'bigint')
    .execute();
  await db.schema.createIndex('data_exports_user').on('data_exports').columns(['user_id', 'created_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['data_exports', 'webhooks', 'bot_scopes', 'bot_tokens', 'invites', 'audit_log', 'server_settings']) {
    await db.schema.dropTable(table).execute();
  }
  for (const column of ['retention_days', 'archived_at']) await db.schema.alterTable('chats').dropColumn(column).execute();
  for (const column of ['bot_owner_id', 'suspended_reason', 'suspended_at', 'server_role']) {
    await db.schema.alterTable('users').dropColumn(column).execute();
  }
}
