/**
 * Uploads in progress kept in file storage (issue 11), for several instances on S3: each
 * PATCH's bytes are stored as parts (`u/<upload>/<start>-<random>`), and this table says
 * which part holds which bytes, so any instance can tell an upload's offset and go on with
 * it. The primary key lets only one part begin at an offset: two instances writing the
 * same bytes at once cannot both commit.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('upload_parts')
    .addColumn('upload_id', 'text', (c) => c.notNull().references('files.id').onDelete('cascade'))
    .addColumn('start_offset', 'bigint', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('storage_key', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('upload_parts_pk', ['upload_id', 'start_offset'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('upload_parts').execute();
}
