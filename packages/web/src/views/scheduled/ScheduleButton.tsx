/** The composer's "Send later" button: schedules what is typed, then empties the composer. */
import type { Chat } from '@parley/protocol';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ClockIcon } from '../../components/icons.js';
import { scheduleMessage } from '../../state/scheduled.js';
import { showToast } from '../../state/toasts.js';

const ScheduleDialog = lazy(() => import('./ScheduleDialog.js'));

export function ScheduleButton({ chat, text, onScheduled }: { chat: Chat; text: string; onScheduled(): void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className="icon-button"
        aria-label={t('scheduled.sendLater')}
        disabled={text.trim() === ''}
        onClick={() => setOpen(true)}
      >
        <ClockIcon size={20} />
      </button>
      {open && (
        <Suspense fallback={null}>
          <ScheduleDialog
            title={t('scheduled.sendLater')}
            initialText={text}
            initialAt={new Date(Date.now() + 3_600_000)}
            onSubmit={async (body, at) => {
              await scheduleMessage(chat.id, body, at);
              onScheduled();
              showToast(t('scheduled.done'));
            }}
            onClose={() => setOpen(false)}
          />
        </Suspense>
      )}
    </>
  );
}
