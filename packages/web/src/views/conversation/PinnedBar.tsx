/** The bar of a chat's pinned messages at the top of the conversation: the newest pin shown, a click jumps to it and moves to the next. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parley } from '../../api/client.js';
import { explainError } from '../../api/errors.js';
import { loadPins, pinsStore } from '../../state/people-relations.js';
import { useStore } from '../../state/store.js';
import { showToast } from '../../state/toasts.js';
import { plainText } from '../../text/markdown.js';
import '../people/people.css';

export function PinnedBar({ chatId, onJump }: { chatId: string; onJump(messageId: string): void }) {
  const { t } = useTranslation();
  const pins = useStore(pinsStore, (all) => all[chatId]);
  const [index, setIndex] = useState(0);
  useEffect(() => {
    void loadPins(chatId).catch(() => undefined);
  }, [chatId]);
  const items = pins?.items ?? [];
  if (items.length === 0) return null;
  const current = items[index % items.length];
  if (!current) return null;
  return (
    <div className="pinned-bar" data-testid="pinned-bar">
      <button
        type="button"
        className="pinned-open"
        aria-label={t('contacts.pins.jump', { position: (index % items.length) + 1, count: items.length })}
        onClick={() => {
          onJump(current.message.id);
          setIndex((i) => (i + 1) % items.length);
        }}
      >
        <span className="pinned-label">
          {items.length > 1
            ? t('contacts.pins.labelOf', { position: (index % items.length) + 1, count: items.length })
            : t('contacts.pins.label')}
        </span>
        <span className="pinned-text" dir="auto">
          {plainText(current.message.text)}
        </span>
      </button>
      {pins?.canPin && (
        <button
          type="button"
          className="icon-button pinned-unpin"
          aria-label={t('contacts.pins.unpin')}
          title={t('contacts.pins.unpin')}
          onClick={() =>
            void parley.organise
              .unpinMessage(chatId, current.message.id)
              .then((list) => pinsStore.update((all) => ({ ...all, [chatId]: list })))
              .catch((error: unknown) => showToast(explainError(error, t).message, 'error'))
          }
        >
          ×
        </button>
      )}
    </div>
  );
}

/** Pins or unpins a message from the message menu. */
export function togglePin(chatId: string, messageId: string, pinned: boolean, onError: (error: unknown) => void) {
  const call = pinned ? parley.organise.unpinMessage(chatId, messageId) : parley.organise.pinMessage(chatId, messageId);
  call.then((list) => pinsStore.update((all) => ({ ...all, [chatId]: list })), onError);
}
