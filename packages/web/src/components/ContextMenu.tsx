/**
 * A menu that opens at a point (right-click, long-press) or under a button, kept inside
 * the window. Arrow keys move between items, Escape closes it and returns focus to
 * where it was, and so does a click or a scroll elsewhere.
 */
import { type KeyboardEvent, type ReactNode, useEffect, useLayoutEffect, useRef, useState } from 'react';

export interface ContextMenuItem {
  id: string;
  label: string;
  icon?: ReactNode;
  tone?: 'danger';
  onSelect(): void;
}

export interface ContextMenuProps {
  x: number;
  y: number;
  label: string;
  items: ContextMenuItem[];
  /** Buttons shown above the items (quick reactions); they take part in arrow-key movement. */
  header?: ReactNode;
  onClose(): void;
}

const MARGIN = 8;

export function ContextMenu({ x, y, label, items, header, onClose }: ContextMenuProps) {
  const ref = useRef<HTMLDivElement>(null);
  const [position, setPosition] = useState<{ left: number; top: number } | null>(null);

  useLayoutEffect(() => {
    const menu = ref.current;
    if (!menu) return;
    const { width, height } = menu.getBoundingClientRect();
    const left = Math.max(MARGIN, Math.min(x, window.innerWidth - width - MARGIN));
    const top = y + height + MARGIN > window.innerHeight ? Math.max(MARGIN, y - height) : y;
    setPosition({ left, top });
  }, [x, y]);

  // Focus moves in once the menu is placed: until then it is hidden, and hidden elements can't take focus.
  const placed = position !== null;
  useEffect(() => {
    if (placed) ref.current?.querySelector<HTMLElement>('[role^="menuitem"]')?.focus();
  }, [placed]);

  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const closeOnOutside = (event: Event) => {
      if (event.target instanceof Node && ref.current?.contains(event.target)) return;
      onClose();
    };
    document.addEventListener('pointerdown', closeOnOutside, true);
    document.addEventListener('scroll', closeOnOutside, true);
    window.addEventListener('resize', onClose);
    return () => {
      document.removeEventListener('pointerdown', closeOnOutside, true);
      document.removeEventListener('scroll', closeOnOutside, true);
      window.removeEventListener('resize', onClose);
      if (opener?.isConnected) opener.focus();
    };
  }, [onClose]);

  const moveFocus = (event: KeyboardEvent) => {
    const buttons = [...(ref.current?.querySelectorAll<HTMLElement>('[role^="menuitem"]') ?? [])];
    const index = buttons.indexOf(document.activeElement as HTMLElement);
    const focusAt = (i: number) => buttons[(i + buttons.length) % buttons.length]?.focus();
    switch (event.key) {
      case 'ArrowDown':
      case 'ArrowRight':
        focusAt(index + 1);
        break;
      case 'ArrowUp':
      case 'ArrowLeft':
        focusAt(index - 1);
        break;
      case 'Home':
        focusAt(0);
        break;
      case 'End':
        focusAt(buttons.length - 1);
        break;
      case 'Escape':
      case 'Tab':
        onClose();
        break;
      default:
        return;
    }
    event.preventDefault();
  };

  return (
    <div
      ref={ref}
      className="menu-popup context-menu"
      role="menu"
      aria-label={label}
      tabIndex={-1}
      onKeyDown={moveFocus}
      onContextMenu={(event) => event.preventDefault()}
      style={position ? { left: position.left, top: position.top } : { left: x, top: y, visibility: 'hidden' }}
    >
      {header}
      {items.map((item) => (
        <button
          key={item.id}
          type="button"
          role="menuitem"
          tabIndex={-1}
          className={item.tone === 'danger' ? 'menu-item menu-item-danger' : 'menu-item'}
          onClick={() => {
            onClose();
            item.onSelect();
          }}
        >
          {item.icon}
          <span>{item.label}</span>
        </button>
      ))}
    </div>
  );
}
