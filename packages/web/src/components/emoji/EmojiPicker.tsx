/**
 * The emoji grid: recently used first, the server's custom emoji, then categories as tabs;
 * above them a search by name and keyword in the UI language (views/custom-emoji/emoji-search.ts).
 * Arrow keys move through the grid, Enter picks, Escape closes. Loaded on demand (composer
 * and reactions). A custom emoji is picked as its `:short_name:`.
 */
import { type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCustomEmojiState } from '../../state/custom-emoji.js';
import { EmojiGlyph } from '../../views/custom-emoji/EmojiGlyph.js';
import { loadEmojiIndex, type SearchableEmoji, type SearchResult, searchEmoji } from '../../views/custom-emoji/emoji-search.js';
import { EMOJI_CATEGORIES, type EmojiCategoryId } from './emoji-data.js';

const RECENT_KEY = 'parley.recentEmoji';
const RECENT_MAX = 24;
const COLUMNS = 8;

function readRecent(): string[] {
  try {
    const stored: unknown = JSON.parse(window.localStorage.getItem(RECENT_KEY) ?? '[]');
    return Array.isArray(stored) ? stored.filter((e): e is string => typeof e === 'string').slice(0, RECENT_MAX) : [];
  } catch {
    return [];
  }
}

function rememberRecent(emoji: string) {
  try {
    const next = [emoji, ...readRecent().filter((e) => e !== emoji)].slice(0, RECENT_MAX);
    window.localStorage.setItem(RECENT_KEY, JSON.stringify(next));
  } catch {
    // Storage may be off; recents are a nicety.
  }
}

export default function EmojiPicker({ label, onPick, onClose }: { label: string; onPick(emoji: string): void; onClose(): void }) {
  const { t, i18n } = useTranslation();
  const root = useRef<HTMLDivElement>(null);
  const [recent] = useState(readRecent);
  const custom = useCustomEmojiState().items;
  const [category, setCategory] = useState<EmojiCategoryId | 'custom'>(recent.length > 0 ? 'recent' : 'smileys');
  const [query, setQuery] = useState('');
  const [index, setIndex] = useState<SearchableEmoji[] | null>(null);
  useEffect(() => {
    if (query.trim() === '' || index) return;
    let live = true;
    void loadEmojiIndex(i18n.language).then((loaded) => live && setIndex(loaded));
    return () => {
      live = false;
    };
  }, [query, index, i18n.language]);
  const searching = query.trim() !== '';
  const results: SearchResult[] = searching ? searchEmoji(index ?? [], custom, query) : [];
  const cells: { value: string; label?: string }[] = searching
    ? results.map((r) => (r.kind === 'custom' ? { value: `:${r.emoji.shortName}:` } : { value: r.unicode, label: r.label }))
    : category === 'recent'
      ? recent.map((value) => ({ value }))
      : category === 'custom'
        ? custom.map((e) => ({ value: `:${e.shortName}:` }))
        : (EMOJI_CATEGORIES.find((c) => c.id === category)?.emoji.split(' ') ?? []).map((value) => ({ value }));

  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    root.current?.querySelector<HTMLElement>('.emoji-search')?.focus();
    const closeOnOutside = (event: PointerEvent) => {
      const target = event.target;
      if (target instanceof Element && (root.current?.contains(target) || target.closest('[aria-expanded="true"]'))) return;
      close.current();
    };
    document.addEventListener('pointerdown', closeOnOutside, true);
    return () => document.removeEventListener('pointerdown', closeOnOutside, true);
  }, []);

  const pick = (value: string) => {
    rememberRecent(value);
    onPick(value);
  };

  const moveInGrid = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      onClose();
      return;
    }
    const buttons = [...(root.current?.querySelectorAll<HTMLElement>('.emoji-cell') ?? [])];
    // From the search field, ↓ goes into the results.
    if (event.target instanceof HTMLInputElement) {
      if (event.key !== 'ArrowDown' || !buttons[0]) return;
      event.preventDefault();
      buttons[0].focus();
      return;
    }
    const at = buttons.indexOf(document.activeElement as HTMLElement);
    if (at === -1) return;
    const step = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: COLUMNS, ArrowUp: -COLUMNS }[event.key];
    if (step === undefined) return;
    event.preventDefault();
    buttons[Math.max(0, Math.min(buttons.length - 1, at + step))]?.focus();
  };

  const firstCustom = custom[0];
  const tabs: { id: EmojiCategoryId | 'custom'; icon: string; label: string }[] = [
    ...(recent.length > 0 ? [{ id: 'recent' as const, icon: '🕘', label: t('emoji.recent') }] : []),
    ...(firstCustom ? [{ id: 'custom' as const, icon: `:${firstCustom.shortName}:`, label: t('previewsEmoji.emoji.custom') }] : []),
    ...EMOJI_CATEGORIES.map((c) => ({ id: c.id, icon: c.icon, label: t(`emoji.${c.id}`) })),
  ];
  const panelLabel = searching ? t('previewsEmoji.emoji.results') : (tabs.find((tab) => tab.id === category)?.label ?? '');

  return (
    <div className="emoji-picker" ref={root} role="dialog" aria-label={label} onKeyDown={moveInGrid}>
      <input
        type="search"
        className="emoji-search"
        aria-label={t('previewsEmoji.emoji.search')}
        placeholder={t('previewsEmoji.emoji.searchPlaceholder')}
        value={query}
        onChange={(event) => setQuery(event.target.value)}
      />
      {!searching && (
        <div className="emoji-tabs" role="tablist" aria-label={t('emoji.categories')}>
          {tabs.map((tab) => (
            <button
              key={tab.id}
              type="button"
              role="tab"
              className="emoji-tab"
              aria-selected={tab.id === category}
              aria-label={tab.label}
              title={tab.label}
              onClick={() => setCategory(tab.id)}
            >
              <EmojiGlyph emoji={tab.icon} />
            </button>
          ))}
        </div>
      )}
      <div className="emoji-grid" role="tabpanel" aria-label={panelLabel}>
        {searching && index && cells.length === 0 && <p className="emoji-empty">{t('previewsEmoji.emoji.noResults')}</p>}
        {cells.map(({ value, label: cellLabel }, i) => (
          <button
            key={value}
            type="button"
            className="emoji-cell"
            tabIndex={i === 0 ? 0 : -1}
            title={cellLabel ?? value}
            aria-label={cellLabel ? `${value} ${cellLabel}` : value}
            onClick={() => pick(value)}
          >
            <EmojiGlyph emoji={value} large />
          </button>
        ))}
      </div>
    </div>
  );
}
