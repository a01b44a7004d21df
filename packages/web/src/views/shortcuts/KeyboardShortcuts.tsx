/**
 * The app-wide shortcuts: Ctrl/⌘+K opens the quick switcher, Alt+↑/↓ opens the previous or
 * next chat of the list, `?` lists the shortcuts. Escape closes whatever dialog is open
 * (the native <dialog>), and the chat info panel (ConversationView).
 */
import { useEffect } from 'react';
import './shortcuts.css';
import { chatsStore, openChatStore } from '../../state/chats.js';
import { chatPath, navigate } from '../../state/router.js';
import { isTypingTarget, neighbourChat, openShortcutDialog, useShortcutDialog } from '../../state/shortcuts.js';
import { QuickSwitcher } from './QuickSwitcher.js';
import { ShortcutsDialog } from './ShortcutsDialog.js';

export function KeyboardShortcuts() {
  const open = useShortcutDialog();
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.isComposing || event.defaultPrevented) return;
      if ((event.ctrlKey || event.metaKey) && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        openShortcutDialog('switcher');
        return;
      }
      if (event.altKey && !event.ctrlKey && !event.metaKey && (event.key === 'ArrowUp' || event.key === 'ArrowDown')) {
        const next = neighbourChat(Object.values(chatsStore.get().byId), openChatStore.get(), event.key === 'ArrowDown' ? 1 : -1);
        if (!next) return;
        event.preventDefault();
        navigate(chatPath(next.id));
        return;
      }
      if (event.key === '?' && !event.ctrlKey && !event.metaKey && !event.altKey && !isTypingTarget(event.target)) {
        event.preventDefault();
        openShortcutDialog('help');
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
  if (open === 'switcher') return <QuickSwitcher onClose={() => openShortcutDialog(null)} />;
  if (open === 'help') return <ShortcutsDialog onClose={() => openShortcutDialog(null)} />;
  return null;
}
