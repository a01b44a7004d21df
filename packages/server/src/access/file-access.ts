/**
 * Who may fetch a file, one condition a line. A file you may not fetch answers exactly
 * like a missing one (404), so file ids cannot be probed.
 */
import { notFound } from '../errors.js';
import type { FileRow } from '../modules/attachments/attachments.repo.js';
import type { Actor } from './actor.js';

export interface FileAccessFacts {
  /** A message carrying the file is visible to the user in a chat they are a member of now. */
  visibleThroughMessage(fileId: string, userId: string): Promise<boolean>;
  /** The file is a person's or a group's avatar. */
  isAvatar(fileId: string): Promise<boolean>;
}

export async function requireFileAccess(facts: FileAccessFacts, actor: Actor, file: FileRow | undefined): Promise<void> {
  const denied = () => notFound('file_not_found', 'File');
  if (!file) throw denied();
  // Released: the last message holding it was deleted; nobody sees it again.
  if (file.state !== 'ready') throw denied();
  // Your own upload, before any message carried it (the composer's preview).
  if (file.owner_id === actor.userId && file.linked === 0) return;
  // Avatars are shown wherever their person or group is: to every signed-in user.
  if (file.purpose === 'avatar' && (await facts.isAvatar(file.id))) return;
  if (file.purpose === 'avatar' && file.owner_id === actor.userId) return;
  if (await facts.visibleThroughMessage(file.id, actor.userId)) return;
  throw denied();
}
