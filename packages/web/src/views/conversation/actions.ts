/** What a message row can ask of its conversation, passed by context so rows stay cheap to render. */
import type { Message } from '@parley/protocol';
import { createContext, useContext } from 'react';
import type { PendingMessage } from '../../state/timeline.js';

export interface MessageActions {
  openMenu(message: Message, at: { x: number; y: number }): void;
  jumpTo(messageId: string): void;
  toggleReaction(message: Message, emoji: string): void;
  retry(pending: PendingMessage): void;
  discard(pending: PendingMessage): void;
}

export const MessageActionsContext = createContext<MessageActions | null>(null);

export function useMessageActions(): MessageActions {
  const actions = useContext(MessageActionsContext);
  if (!actions) throw new Error('useMessageActions outside a conversation');
  return actions;
}
