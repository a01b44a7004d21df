/** The open thread of this conversation, if any (state/threads.ts decides which is open). */
import type { Chat } from '@parley/protocol';
import { useOpenThread } from '../../state/threads.js';
import { ThreadPanel } from './ThreadPanel.js';

export function ThreadPanelHost({ chat }: { chat: Chat }) {
  const open = useOpenThread();
  if (open?.chatId !== chat.id) return null;
  return <ThreadPanel key={open.rootId} chat={chat} rootId={open.rootId} />;
}
