/**
 * Who may reply in, follow or read a thread (E15). Being able to see the root is checked
 * first by the caller (`requireVisibleMessage`, 404 otherwise); these are the rules about
 * what may be a root and what a reply may be. A thread's replies share its root's audience
 * — all public, or all private between the root's two people — so a reply count and the
 * replies themselves are the same for everyone who sees the root.
 */
import { AppError } from '../errors.js';
import { canQuote, type MessageRow } from './chat-access.js';

const refused = (field: string, rule: string, message: string) =>
  new AppError('validation_failed', message, { location: 'body', field, rule });

/** A root is a text message of the chat's own timeline: threads do not nest. */
export function assertCanBeThreadRoot(root: MessageRow, field = 'threadRootId') {
  if (root.thread_root_id !== null) throw refused(field, 'nested', 'A thread reply cannot have a thread of its own');
  if (root.kind !== 'text') throw refused(field, 'kind', 'Only a text message can have a thread');
}

/**
 * A new reply: to a root that may have a thread, not a deleted one without replies, and as
 * private as the root — no private reply under a public root, and under a private root a
 * reply private to the same two people.
 */
export function assertCanReplyInThread(root: MessageRow, reply: { sender_id: string; private_to: string | null }, hasThread: boolean) {
  assertCanBeThreadRoot(root);
  if (root.deleted_at !== null && !hasThread) throw refused('threadRootId', 'deleted', 'A deleted message cannot start a thread');
  if (root.private_to === null && reply.private_to !== null)
    throw refused('privateTo', 'thread', 'A reply in a public thread cannot be private');
  if (!canQuote(reply, root)) throw refused('privateTo', 'private', 'A reply in a private thread must be private to the same person');
}
