/** Link previews (E18): who may remove a message's preview. */
import { AppError } from '../errors.js';
import type { Actor } from './actor.js';
import type { MessageRow } from './chat-access.js';

/** Only the message's sender: it is their message the preview hangs under. */
export function assertCanRemovePreview(actor: Actor, message: Pick<MessageRow, 'sender_id'>) {
  if (message.sender_id === actor.userId) return;
  throw new AppError('forbidden', 'Only the sender may remove the preview of their message');
}
