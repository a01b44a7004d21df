/** The composer's "Poll" button (groups and rooms); the dialog is a separate download. */
import type { Chat } from '@parley/protocol';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';

const CreatePollDialog = lazy(() => import('./CreatePollDialog.js'));

export function PollButton({ chat }: { chat: Chat }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="icon-button" aria-label={t('poll.create')} onClick={() => setOpen(true)}>
        <svg
          aria-hidden="true"
          focusable="false"
          width={22}
          height={22}
          viewBox="0 0 24 24"
          fill="none"
          stroke="currentColor"
          strokeWidth="1.8"
          strokeLinecap="round"
        >
          <path d="M5 20V11M12 20V5M19 20v-6" />
        </svg>
      </button>
      {open && (
        <Suspense fallback={null}>
          <CreatePollDialog chat={chat} onClose={() => setOpen(false)} />
        </Suspense>
      )}
    </>
  );
}
