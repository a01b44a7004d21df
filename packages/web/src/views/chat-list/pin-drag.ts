/**
 * Dragging pinned chats into an order of one's own (issue 13, D8). The order is the
 * server's (`PUT /chats/organisation/pins`), so it is the same on every device: a drop
 * shows the new order at once and puts it back if the server refuses it.
 */
import type { DragEvent, HTMLAttributes } from 'react';
import { useState } from 'react';
import { parley } from '../../api/client.js';
import { organisationStore } from '../../state/people-relations.js';
import './pin-drag.css';

/** `dragged` takes `target`'s place; the others keep their order. Unknown ids change nothing. */
export function movePinned(order: readonly string[], dragged: string, target: string): string[] {
  const from = order.indexOf(dragged);
  const to = order.indexOf(target);
  if (from < 0 || to < 0 || from === to) return [...order];
  const next = order.filter((id) => id !== dragged);
  next.splice(to, 0, dragged);
  return next;
}

const DRAG_TYPE = 'application/x-parley-pinned-chat';

export async function reorderPinned(dragged: string, target: string, onError: (error: unknown) => void) {
  const before = organisationStore.get();
  const pinned = movePinned(before.pinned, dragged, target);
  if (pinned.every((id, i) => id === before.pinned[i])) return;
  organisationStore.set({ ...before, pinned });
  try {
    organisationStore.set(await parley.organise.reorderPins(pinned));
  } catch (error) {
    organisationStore.set(before);
    onError(error);
  }
}

/** Props for each row of the list: pinned rows can be dragged onto other pinned rows. */
export function usePinDrag(pinned: readonly string[], onError: (error: unknown) => void) {
  const [dragging, setDragging] = useState<string | null>(null);
  const [over, setOver] = useState<string | null>(null);
  return (chatId: string): (HTMLAttributes<HTMLLIElement> & { 'data-drop-target'?: string }) | undefined => {
    if (!pinned.includes(chatId)) return undefined;
    return {
      draggable: true,
      'data-drop-target': over === chatId && dragging !== chatId ? 'true' : undefined,
      onDragStart: (event: DragEvent<HTMLLIElement>) => {
        event.dataTransfer.setData(DRAG_TYPE, chatId);
        event.dataTransfer.effectAllowed = 'move';
        setDragging(chatId);
      },
      onDragOver: (event: DragEvent<HTMLLIElement>) => {
        if (!dragging || !event.dataTransfer.types.includes(DRAG_TYPE)) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'move';
        setOver(chatId);
      },
      onDragLeave: () => setOver((current) => (current === chatId ? null : current)),
      onDrop: (event: DragEvent<HTMLLIElement>) => {
        event.preventDefault();
        const dragged = event.dataTransfer.getData(DRAG_TYPE) || dragging;
        setDragging(null);
        setOver(null);
        if (dragged) void reorderPinned(dragged, chatId, onError);
      },
      onDragEnd: () => {
        setDragging(null);
        setOver(null);
      },
    };
  };
}
