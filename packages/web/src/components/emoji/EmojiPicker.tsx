/**
 * The emoji grid: recently used first, then categories as tabs. Arrow keys move through
 * the grid, Enter picks, Escape closes. Loaded on demand (composer and reactions).
 */
import { type KeyboardEvent, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
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
  const { t } = useTranslation();
  const root = useRef<HTMLDivElement>(null);
  const [recent] = useState(readRecent);
  const [category, setCategory] = useState<EmojiCategoryId>(recent.length > 0 ? 'recent' : 'smileys');
  const emoji = category === 'recent' ? recent : (EMOJI_CATEGORIES.find((c) => c.id === category)?.emoji.split(' ') ?? []);

  const close = useRef(onClose);
  close.current = onClose;
  useEffect(() => {
    root.current?.querySelector<HTMLElement>('.emoji-cell')?.focus();
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
    const cells = [...(root.current?.querySelectorAll<HTMLElement>('.emoji-cell') ?? [])];
    const index = cells.indexOf(document.activeElement as HTMLElement);
    if (index === -1) return;
    const step = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: COLUMNS, ArrowUp: -COLUMNS }[event.key];
    if (step === undefined) return;
    event.preventDefault();
    cells[Math.max(0, Math.min(cells.length - 1, index + step))]?.focus();
  };

  const tabs: { id: EmojiCategoryId; icon: string }[] = [
    ...(recent.length > 0 ? [{ id: 'recent' as const, icon: '🕘' }] : []),
    ...EMOJI_CATEGORIES.map((c) => ({ id: c.id, icon: c.icon })),
  ];

  return (
    <div className="emoji-picker" ref={root} role="dialog" aria-label={label} onKeyDown={moveInGrid}>
      <div className="emoji-tabs" role="tablist" aria-label={t('emoji.categories')}>
        {tabs.map((tab) => (
          <button
            key={tab.id}
            type="button"
            role="tab"
            className="emoji-tab"
            aria-selected={tab.id === category}
            aria-label={t(`emoji.${tab.id}`)}
            title={t(`emoji.${tab.id}`)}
            onClick={() => setCategory(tab.id)}
          >
            {tab.icon}
          </button>
        ))}
      </div>
      <div className="emoji-grid" role="tabpanel" aria-label={t(`emoji.${category}`)}>
        {emoji.map((value, index) => (
          <button key={value} type="button" className="emoji-cell" tabIndex={index === 0 ? 0 : -1} onClick={() => pick(value)}>
            {value}
          </button>
        ))}
      </div>
    </div>
  );
}
