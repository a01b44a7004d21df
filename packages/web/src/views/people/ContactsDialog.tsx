/** Your contacts, starred first, with the requests waiting for you (the pending badge), those you sent, and whom you blocked. */
import type { Relationship } from '@parley/protocol';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { parley } from '../../api/client.js';
import { explainError } from '../../api/errors.js';
import { Avatar } from '../../components/Avatar.js';
import { Button } from '../../components/Button.js';
import { Dialog } from '../../components/Dialog.js';
import { openProfile, relationsStore, rememberRelationship } from '../../state/people-relations.js';
import { useStore } from '../../state/store.js';
import { showToast } from '../../state/toasts.js';
import './people.css';

function PersonRow({ rel, children }: { rel: Relationship; children?: React.ReactNode }) {
  return (
    <li className="contact-row" data-testid="contact-row">
      <button type="button" className="contact-person" onClick={() => openProfile(rel.user.id)}>
        <Avatar id={rel.user.id} name={rel.user.displayName} size={36} />
        <span className="contact-text">
          <bdi className="contact-name" title={rel.alias ? rel.user.displayName : undefined}>
            {rel.starred ? '★ ' : ''}
            {rel.alias ?? rel.user.displayName}
          </bdi>
          <span className="contact-meta">{rel.note ? `“${rel.note}”` : `@${rel.user.username}`}</span>
        </span>
      </button>
      {children}
    </li>
  );
}

export function ContactsDialog({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const byId = useStore(relationsStore, (s) => s.byId);
  const all = useMemo(
    () =>
      Object.values(byId).sort(
        (a, b) => Number(b.starred) - Number(a.starred) || (a.alias ?? a.user.displayName).localeCompare(b.alias ?? b.user.displayName),
      ),
    [byId],
  );
  const received = all.filter((r) => r.state === 'received' && !r.blocked);
  const sent = all.filter((r) => r.state === 'sent');
  const contacts = all.filter((r) => r.state === 'accepted' && !r.blocked);
  const blocked = all.filter((r) => r.blocked);
  const act = (work: Promise<Relationship>) =>
    work.then(rememberRelationship, (error: unknown) => showToast(explainError(error, t).message, 'error'));

  return (
    <Dialog title={t('contacts.title')} onClose={onClose} className="contacts-dialog">
      {all.length === 0 && <p className="contacts-empty">{t('contacts.empty')}</p>}
      {received.length > 0 && (
        <section aria-label={t('contacts.requests')}>
          <h3 className="profile-section-title">{t('contacts.requestsCount', { count: received.length })}</h3>
          <ul className="contact-list">
            {received.map((rel) => (
              <PersonRow key={rel.user.id} rel={rel}>
                <Button onClick={() => void act(parley.contacts.accept(rel.requestId ?? ''))}>{t('contacts.accept')}</Button>
                <Button variant="secondary" onClick={() => void act(parley.contacts.decline(rel.requestId ?? ''))}>
                  {t('contacts.decline')}
                </Button>
              </PersonRow>
            ))}
          </ul>
        </section>
      )}
      {sent.length > 0 && (
        <section aria-label={t('contacts.sent')}>
          <h3 className="profile-section-title">{t('contacts.sent')}</h3>
          <ul className="contact-list">
            {sent.map((rel) => (
              <PersonRow key={rel.user.id} rel={rel}>
                <Button variant="ghost" onClick={() => void act(parley.contacts.cancel(rel.requestId ?? ''))}>
                  {t('contacts.cancelRequest')}
                </Button>
              </PersonRow>
            ))}
          </ul>
        </section>
      )}
      {contacts.length > 0 && (
        <section aria-label={t('contacts.contacts')}>
          <h3 className="profile-section-title">{t('contacts.contacts')}</h3>
          <ul className="contact-list">
            {contacts.map((rel) => (
              <PersonRow key={rel.user.id} rel={rel} />
            ))}
          </ul>
        </section>
      )}
      {blocked.length > 0 && (
        <section aria-label={t('contacts.blocked')}>
          <h3 className="profile-section-title">{t('contacts.blocked')}</h3>
          <ul className="contact-list">
            {blocked.map((rel) => (
              <PersonRow key={rel.user.id} rel={rel}>
                <Button variant="secondary" onClick={() => void act(parley.contacts.unblock(rel.user.id))}>
                  {t('contacts.unblock')}
                </Button>
              </PersonRow>
            ))}
          </ul>
        </section>
      )}
    </Dialog>
  );
}
