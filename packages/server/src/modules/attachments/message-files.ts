/**
 * The attachments side of sending, forwarding and deleting messages, as the messages
 * module sees it: check the files a send names, link files to a new message inside its
 * transaction, and let a deleted message's files go.
 */
import type { Attachment } from '@parley/protocol';
import type { Kysely } from 'kysely';
import type { Actor } from '../../access/actor.js';
import type { Database } from '../../storage/schema.js';
import { presentAttachment } from './attachments.present.js';
import { type AttachmentLink, attachmentsRepo, type FileRow } from './attachments.repo.js';
import { galleryTab } from './content-type.js';

export interface MessageFiles {
  /** The sender's own finished uploads, in the order given; any other id is file_not_found. */
  filesToAttach(actor: Actor, ids: string[]): Promise<FileRow[]>;
  /** The files of these messages (a forward reuses them: the same stored bytes, no copy). */
  filesOf(messageIds: string[]): Promise<Map<string, FileRow[]>>;
  /** Inside the delete's transaction. */
  release(tx: Kysely<Database>, messageId: string): Promise<void>;
}

/** Inside the send's transaction: the new message holds these files, in this order. */
export async function linkAttachments(
  tx: Kysely<Database>,
  message: { id: string; chat_id: string; seq: number },
  files: FileRow[],
): Promise<Attachment[]> {
  const links: AttachmentLink[] = files.map((file, position) => ({
    message_id: message.id,
    position,
    file_id: file.id,
    chat_id: message.chat_id,
    seq: message.seq,
    tab: galleryTab(file.kind),
  }));
  const repo = attachmentsRepo(tx);
  await repo.insertLinks(links);
  await repo.markLinked(files.map((f) => f.id));
  return files.map(presentAttachment);
}
