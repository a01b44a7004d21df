/** The contacts button of the chat list, with the pending-requests badge. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { UsersIcon } from '../../components/icons.js';
import { usePendingCount } from '../../state/people-relations.js';
import { ContactsDialog } from './ContactsDialog.js';

export function ContactsButton() {
  const { t } = useTranslation();
  const pending = usePendingCount();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className="icon-button badge-button"
        aria-label={pending > 0 ? t('contacts.openPending', { count: pending }) : t('contacts.open')}
        title={t('contacts.title')}
        data-testid="contacts-button"
        onClick={() => setOpen(true)}
      >
        <UsersIcon size={20} />
        {pending > 0 && (
          <span className="icon-badge" data-testid="contacts-badge" aria-hidden="true">
            {pending > 99 ? '99+' : pending}
          </span>
        )}
      </button>
      {open && <ContactsDialog onClose={() => setOpen(false)} />}
    </>
  );
}
