/**
 * Selection mode of a conversation: in place of the composer, how many messages are
 * selected, Forward (all of them at once, in chat order) and Cancel. Escape cancels.
 */
import type { Chat } from '@parley/protocol';
import { lazy, Suspense, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/Button.js';
import { ForwardIcon } from '../../components/icons.js';
import { selectedInOrder, stopSelecting, useSelection } from '../../state/selection.js';
import './selection.css';

const ForwardDialog = lazy(() => import('../conversation/MessageDialogs.js').then((m) => ({ default: m.ForwardDialog })));

export function SelectionBar({ chat }: { chat: Chat }) {
  const { t } = useTranslation();
  const selection = useSelection(chat.id);
  const [forwarding, setForwarding] = useState(false);
  const count = selection?.messages.length ?? 0;

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented || document.querySelector('dialog[open]')) return;
      stopSelecting();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => {
      window.removeEventListener('keydown', onKeyDown);
      // Leaving the chat leaves selection mode.
      stopSelecting();
    };
  }, []);

  return (
    <div className="selection-bar" role="toolbar" aria-label={t('select.toolbar')}>
      <span className="selection-count" aria-live="polite">
        {t('select.count', { count })}
      </span>
      <Button variant="secondary" onClick={stopSelecting}>
        {t('common.cancel')}
      </Button>
      <Button disabled={count === 0} onClick={() => setForwarding(true)}>
        <ForwardIcon />
        {t('select.forward')}
      </Button>
      {forwarding && selection && (
        <Suspense fallback={null}>
          <ForwardDialog
            messages={selectedInOrder(selection)}
            chat={chat}
            onClose={() => {
              setForwarding(false);
              stopSelecting();
            }}
          />
        </Suspense>
      )}
    </div>
  );
}
