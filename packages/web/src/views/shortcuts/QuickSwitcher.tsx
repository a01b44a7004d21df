/**
 * Ctrl/⌘+K: jump to a chat by name. The field is a combobox over a list of the matching
 * chats (in the chat list's order); ↑/↓ move, Enter opens. When the message search has
 * registered itself, the last row searches messages for what was typed.
 */
import type { Chat } from '@parley/protocol';
import { type KeyboardEvent, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ChatAvatar } from '../../components/ChatAvatar.js';
import { Dialog } from '../../components/Dialog.js';
import { SearchIcon } from '../../components/icons.js';
import { ListboxOption, optionId } from '../../components/ListboxOption.js';
import { filterChats, sortChats } from '../../state/chat-list.js';
import { useChatList } from '../../state/chats.js';
import { chatTitle } from '../../state/people.js';
import { chatPath, navigate } from '../../state/router.js';
import { messageSearchOpener } from '../../state/shortcuts.js';

const SHOWN = 8;

type Option = { kind: 'chat'; id: string; label: string; chat: Chat } | { kind: 'search'; id: string; label: string };

export function QuickSwitcher({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const { chats } = useChatList();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const listId = useId();
  const searchMessages = messageSearchOpener();

  const options = useMemo<Option[]>(() => {
    const matching = filterChats(sortChats(chats), query).slice(0, SHOWN);
    const rows: Option[] = matching.map((chat) => ({ kind: 'chat', id: chat.id, label: chatTitle(chat), chat }));
    if (searchMessages && query.trim() !== '')
      rows.push({ kind: 'search', id: 'search', label: t('switcher.searchMessages', { query: query.trim() }) });
    return rows;
  }, [chats, query, searchMessages, t]);
  const current = options[Math.min(active, options.length - 1)];

  const choose = (option: Option | undefined) => {
    if (!option) return;
    onClose();
    if (option.kind === 'chat') navigate(chatPath(option.id));
    else searchMessages?.(query.trim());
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.nativeEvent.isComposing || event.keyCode === 229) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((i) => (Math.min(i, options.length - 1) + step + options.length) % Math.max(options.length, 1));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      choose(current);
    }
  };

  return (
    <Dialog title={t('switcher.title')} onClose={onClose} className="quick-switcher">
      <div className="quick-switcher-field">
        <SearchIcon />
        <input
          className="input"
          type="search"
          role="combobox"
          aria-label={t('switcher.placeholder')}
          placeholder={t('switcher.placeholder')}
          aria-expanded={options.length > 0}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={current ? optionId(listId, current.id) : undefined}
          value={query}
          onChange={(event) => {
            setQuery(event.target.value);
            setActive(0);
          }}
          onKeyDown={onKeyDown}
        />
      </div>
      <div className="quick-switcher-list" id={listId} role="listbox" aria-label={t('switcher.results')}>
        {options.map((option) => (
          <ListboxOption
            key={option.id}
            listId={listId}
            id={option.id}
            selected={option === current}
            className="picker-row quick-switcher-option"
            onChoose={() => choose(option)}
          >
            {option.kind === 'chat' ? <ChatAvatar chat={option.chat} size={32} /> : <SearchIcon />}
            <bdi className="picker-row-name">{option.label}</bdi>
          </ListboxOption>
        ))}
        {options.length === 0 && query.trim() !== '' && (
          <p className="quick-switcher-empty">{t('switcher.noMatches', { query: query.trim() })}</p>
        )}
      </div>
    </Dialog>
  );
}
