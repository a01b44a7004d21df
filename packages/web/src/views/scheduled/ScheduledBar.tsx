/**
 * Above the composer when this chat has messages of ours waiting to be sent: how many, and
 * a list to change their text or time, or cancel them (failed ones say why).
 */
import type { Chat, ScheduledMessage } from '@parley/protocol';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { explainError } from '../../api/errors.js';
import { Dialog } from '../../components/Dialog.js';
import { ClockIcon } from '../../components/icons.js';
import { formatDateTime } from '../../i18n/format.js';
import { cancelScheduled, updateScheduled, useScheduledIn } from '../../state/scheduled.js';
import { showToast } from '../../state/toasts.js';
import './scheduled.css';

const ScheduleDialog = lazy(() => import('./ScheduleDialog.js'));

function ScheduledList({ items, onClose }: { items: readonly ScheduledMessage[]; onClose(): void }) {
  const { t, i18n } = useTranslation();
  const [editing, setEditing] = useState<ScheduledMessage | null>(null);
  const fail = (error: unknown) => showToast(explainError(error, t).message, 'error');
  if (editing)
    return (
      <Suspense fallback={null}>
        <ScheduleDialog
          title={t('scheduled.edit')}
          initialText={editing.text}
          initialAt={new Date(editing.sendAt)}
          editText
          onSubmit={(text, at) => updateScheduled(editing.id, { text, sendAt: at })}
          onClose={() => setEditing(null)}
        />
      </Suspense>
    );
  return (
    <Dialog title={t('scheduled.title')} onClose={onClose}>
      {items.length === 0 && <p>{t('scheduled.none')}</p>}
      <ul className="scheduled-list">
        {items.map((item) => (
          <li key={item.id} className="scheduled-item" data-status={item.status}>
            <span className="scheduled-text" dir="auto">
              {item.text}
            </span>
            <span className="scheduled-time">
              {item.status === 'failed'
                ? item.error === 'chat_not_found'
                  ? t('scheduled.failedGone')
                  : t('scheduled.failed')
                : t('scheduled.sendsAt', { time: formatDateTime(item.sendAt, i18n.language) })}
            </span>
            <span className="scheduled-actions">
              <button type="button" className="link-button" onClick={() => setEditing(item)}>
                {t('scheduled.editButton')}
              </button>
              <button type="button" className="link-button" onClick={() => void cancelScheduled(item.id).catch(fail)}>
                {t('scheduled.cancel')}
              </button>
            </span>
          </li>
        ))}
      </ul>
    </Dialog>
  );
}

export function ScheduledBar({ chat }: { chat: Chat }) {
  const { t } = useTranslation();
  const items = useScheduledIn(chat.id);
  const [open, setOpen] = useState(false);
  if (items.length === 0 && !open) return null;
  return (
    <>
      <button type="button" className="scheduled-bar" onClick={() => setOpen(true)}>
        <ClockIcon size={16} />
        {t('scheduled.count', { count: items.length })}
      </button>
      {open && <ScheduledList items={items} onClose={() => setOpen(false)} />}
    </>
  );
}
