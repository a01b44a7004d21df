/**
 * One option of a combobox's list (mentions in the composer, the quick switcher): focus
 * stays in the field, which points at the active option with aria-activedescendant, so a
 * pointer press picks the option without taking the focus away.
 */
import type { ReactNode } from 'react';

export const optionId = (listId: string, id: string) => `${listId}-${id}`;

export function ListboxOption({
  listId,
  id,
  selected,
  className,
  onChoose,
  children,
}: {
  listId: string;
  id: string;
  selected: boolean;
  className: string;
  onChoose(): void;
  children: ReactNode;
}) {
  return (
    <div
      id={optionId(listId, id)}
      role="option"
      tabIndex={-1}
      aria-selected={selected}
      className={className}
      onPointerDown={(event) => {
        event.preventDefault();
        onChoose();
      }}
    >
      {children}
    </div>
  );
}
