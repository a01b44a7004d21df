/**
 * The composer's `:name` suggestions (E19): a hook that follows the text before the caret
 * and answers the keys it owns (arrows, Enter, Tab, Escape), and the list it shows. Nothing
 * opens while an input method is composing — the text is not the person's yet — and the
 * composer asks the @mention list first, so the two never compete for a key.
 */
import type { KeyboardEvent } from 'react';
import { useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ListboxOption, optionId } from '../../components/ListboxOption.js';
import { useCustomEmojiState } from '../../state/custom-emoji.js';
import { CustomEmojiImage } from './EmojiGlyph.js';
import { emojiQueryBefore, emojiSuggestions, insertSuggestion, suggestionKey } from './emoji-autocomplete.js';
import { loadEmojiIndex, type SearchableEmoji, type SearchResult } from './emoji-search.js';
import './emoji-suggestions.css';

export interface EmojiAutocomplete {
  listId: string;
  options: SearchResult[];
  active: SearchResult | undefined;
  /** The active option's element id, for the field's aria-activedescendant. */
  activeId: string | undefined;
  /** True when the key was the list's (the composer does nothing more with it). */
  onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>): boolean;
  choose(result: SearchResult): void;
  setComposing(composing: boolean): void;
}

export function useEmojiAutocomplete(
  text: string,
  caret: number,
  /** Puts the new text in the field with the caret at `position`. */
  replace: (text: string, position: number) => void,
  enabled: boolean,
): EmojiAutocomplete {
  const { i18n } = useTranslation();
  const listId = useId();
  const custom = useCustomEmojiState().items;
  const [index, setIndex] = useState<readonly SearchableEmoji[]>([]);
  const [activeIndex, setActiveIndex] = useState(0);
  const [dismissed, setDismissed] = useState<string | null>(null);
  const [composing, setComposing] = useState(false);
  const query = enabled && !composing ? emojiQueryBefore(text.slice(0, caret)) : null;
  const open = query !== null && query !== dismissed;

  // The standard set is a separate download: fetched the first time someone types `:xx`.
  const wanted = open ? i18n.language : null;
  useEffect(() => {
    if (wanted === null) return;
    let current = true;
    void loadEmojiIndex(wanted).then((loaded) => {
      if (current) setIndex(loaded);
    });
    return () => {
      current = false;
    };
  }, [wanted]);

  const options = useMemo(() => (open && query !== null ? emojiSuggestions(index, custom, query) : []), [open, index, custom, query]);
  // A new query starts at the first option.
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset only when the query changes.
  useEffect(() => setActiveIndex(0), [query]);
  const active = options[Math.min(activeIndex, options.length - 1)];

  const choose = (result: SearchResult) => {
    const next = insertSuggestion(text, caret, result);
    replace(next.text, next.caret);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (!active) return false;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActiveIndex((i) => (Math.min(i, options.length - 1) + step + options.length) % options.length);
    } else if (event.key === 'Enter' || event.key === 'Tab') {
      choose(active);
    } else if (event.key === 'Escape') {
      setDismissed(query);
    } else {
      return false;
    }
    event.preventDefault();
    return true;
  };

  return {
    listId,
    options,
    active,
    activeId: active ? optionId(listId, suggestionKey(active)) : undefined,
    onKeyDown,
    choose,
    setComposing,
  };
}

export function EmojiSuggestions({ autocomplete }: { autocomplete: EmojiAutocomplete }) {
  const { t } = useTranslation();
  const { listId, options, active, choose } = autocomplete;
  if (options.length === 0) return null;
  return (
    <div className="mention-list emoji-suggestions" id={listId} role="listbox" aria-label={t('previewsEmoji.emoji.suggestions')}>
      {options.map((option) => (
        <ListboxOption
          key={suggestionKey(option)}
          listId={listId}
          id={suggestionKey(option)}
          selected={option === active}
          className="mention-option emoji-suggestion"
          onChoose={() => choose(option)}
        >
          {option.kind === 'custom' ? (
            <>
              <CustomEmojiImage id={option.emoji.id} code={`:${option.emoji.shortName}:`} large />
              <span className="emoji-suggestion-name">:{option.emoji.shortName}:</span>
            </>
          ) : (
            <>
              <span className="emoji-suggestion-glyph" aria-hidden="true">
                {option.unicode}
              </span>
              <span className="emoji-suggestion-name">{option.label}</span>
            </>
          )}
        </ListboxOption>
      ))}
    </div>
  );
}
