/**
 * The notification centre: contact requests (answer them here), acceptances, group
 * invitations and mentions, newest first; unread ones marked, read one by one or all,
 * cleared. The badge on its button is the unread count, the same on every device.
 */
import type { CentreNotification } from '@parley/protocol';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parley } from '../../api/client.js';
import { explainError } from '../../api/errors.js';
import { Button } from '../../components/Button.js';
import { Dialog } from '../../components/Dialog.js';
import { BellIcon } from '../../components/icons.js';
import { formatRelative } from '../../i18n/format.js';
import { centreStore, openProfile, relationsStore, rememberRelationship } from '../../state/people-relations.js';
import { chatPath, navigate } from '../../state/router.js';
import { useStore } from '../../state/store.js';
import { openThread } from '../../state/threads.js';
import { showToast } from '../../state/toasts.js';
import '../people/people.css';

function Item({ item, onOpenChat }: { item: CentreNotification; onOpenChat(chatId: string): void }) {
  const { t, i18n } = useTranslation();
  const name = useStore(relationsStore, (s) => (item.actor ? (s.byId[item.actor.id]?.alias ?? item.actor.displayName) : ''));
  const pending = useStore(relationsStore, (s) => (item.actor ? s.byId[item.actor.id]?.state === 'received' : false));
  const fail = (error: unknown) => showToast(explainError(error, t).message, 'error');
  const text =
    item.kind === 'contact_request'
      ? t('contacts.centre.request', { name })
      : item.kind === 'contact_accepted'
        ? t('contacts.centre.accepted', { name })
        : item.kind === 'group_invite'
          ? t('contacts.centre.groupInvite', { name, chat: String(item.data.chatName ?? '') })
          : item.kind === 'mention'
            ? item.data.everyone === 'all'
              ? t('personal.centreMentionAll', { name })
              : item.data.everyone === 'here'
                ? t('personal.centreMentionHere', { name })
                : t('contacts.centre.mention', { name })
            : item.kind === 'reminder'
              ? t('reminder.centre')
              : t('contacts.centre.other');
  const open = () => {
    if (!item.read) void parley.notificationCentre.markRead([item.id]).catch(fail);
    if (item.chatId) onOpenChat(item.chatId);
    else if (item.actor) openProfile(item.actor.id);
  };
  return (
    <li className="centre-item" data-read={item.read ? 'true' : 'false'} data-testid="centre-item">
      <button type="button" className="centre-open" onClick={open}>
        <span className="centre-text" dir="auto">
          {text}
        </span>
        {(item.kind === 'mention' || item.kind === 'reminder') && typeof item.data.excerpt === 'string' && (
          <span className="centre-excerpt" dir="auto">
            {item.data.excerpt}
          </span>
        )}
        {item.kind === 'contact_request' && typeof item.data.note === 'string' && item.data.note && (
          <span className="centre-excerpt" dir="auto">
            “{item.data.note}”
          </span>
        )}
        <span className="centre-time">{formatRelative(item.createdAt, i18n.language) ?? t('time.justNow')}</span>
      </button>
      {item.kind === 'contact_request' && pending && item.requestId && (
        <span className="centre-actions">
          <Button onClick={() => void parley.contacts.accept(item.requestId ?? '').then(rememberRelationship, fail)}>
            {t('contacts.accept')}
          </Button>
          <Button variant="secondary" onClick={() => void parley.contacts.decline(item.requestId ?? '').then(rememberRelationship, fail)}>
            {t('contacts.decline')}
          </Button>
        </span>
      )}
    </li>
  );
}

export function NotificationCentreButton() {
  const { t } = useTranslation();
  const unread = useStore(centreStore, (s) => s.unreadCount);
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        className="icon-button badge-button"
        aria-label={unread > 0 ? t('contacts.centre.openUnread', { count: unread }) : t('contacts.centre.open')}
        title={t('contacts.centre.title')}
        data-testid="centre-button"
        onClick={() => setOpen(true)}
      >
        <BellIcon size={20} />
        {unread > 0 && (
          <span className="icon-badge" data-testid="centre-badge" aria-hidden="true">
            {unread > 99 ? '99+' : unread}
          </span>
        )}
      </button>
      {open && <NotificationCentreDialog onClose={() => setOpen(false)} />}
    </>
  );
}

function NotificationCentreDialog({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const { items, unreadCount } = useStore(centreStore, (s) => s);
  const fail = (error: unknown) => showToast(explainError(error, t).message, 'error');
  return (
    <Dialog
      title={t('contacts.centre.title')}
      onClose={onClose}
      className="centre-dialog"
      footer={
        items.length > 0 && (
          <>
            <Button variant="secondary" disabled={unreadCount === 0} onClick={() => void parley.notificationCentre.markRead().catch(fail)}>
              {t('contacts.centre.markAllRead')}
            </Button>
            <Button variant="ghost" onClick={() => void parley.notificationCentre.clear().catch(fail)}>
              {t('contacts.centre.clear')}
            </Button>
          </>
        )
      }
    >
      {items.length === 0 ? (
        <p className="contacts-empty">{t('contacts.centre.empty')}</p>
      ) : (
        <ul className="centre-list">
          {items.map((item) => (
            <Item
              key={item.id}
              item={item}
              onOpenChat={(chatId) => {
                onClose();
                // A mention in a thread (E15) opens the thread beside its chat.
                if (typeof item.data.threadRootId === 'string') openThread(chatId, item.data.threadRootId);
                navigate(chatPath(chatId));
              }}
            />
          ))}
        </ul>
      )}
    </Dialog>
  );
}
