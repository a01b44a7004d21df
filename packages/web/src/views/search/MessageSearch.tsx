/**
 * Where the message search opens from: Ctrl/⌘+Shift+F, the search button of the chat list,
 * "Search in this chat" in a conversation's header, and the quick switcher's last row
 * (registered through state/shortcuts.ts). Mounted once by the app shell.
 */
import { useEffect } from 'react';
import { useMe } from '../../state/session.js';
import { registerMessageSearch } from '../../state/shortcuts.js';
import { SearchPanel } from './SearchPanel.js';
import { openSearch, useSearch } from './search-state.js';

export { openSearch } from './search-state.js';

export function MessageSearch() {
  const me = useMe();
  const state = useSearch();
  useEffect(() => registerMessageSearch((query) => openSearch({ query })), []);
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.isComposing || event.defaultPrevented) return;
      if ((event.ctrlKey || event.metaKey) && event.shiftKey && !event.altKey && event.key.toLowerCase() === 'f') {
        event.preventDefault();
        openSearch();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
  return state.open ? <SearchPanel meId={me.id} state={state} /> : null;
}
