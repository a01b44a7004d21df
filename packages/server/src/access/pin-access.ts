/** Who may pin messages in a chat: both people of a direct chat; in groups and rooms the owner and admins, or everyone when the group allows it. */
import { AppError } from '../errors.js';
import { type ChatAccess, isManager } from './chat-access.js';

export function canPinMessages({ chat, member }: ChatAccess): boolean {
  if (chat.kind === 'direct') return true;
  if (isManager(member)) return true;
  return chat.members_can_pin === 1;
}

export function assertCanPinMessages(access: ChatAccess): void {
  if (!canPinMessages(access)) throw new AppError('forbidden', 'Only the owner and admins may pin messages in this chat');
}
