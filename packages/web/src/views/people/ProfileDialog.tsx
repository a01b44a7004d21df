/**
 * A person's profile, opened by clicking them anywhere (member list, sender name, mention,
 * contact, notification): picture, names (your private alias, with the real name beside),
 * status line, bio, presence or last seen when allowed, shared groups, and the actions —
 * message, add or answer a contact request, star, alias, block.
 */
import type { Profile } from '@parley/protocol';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parley } from '../../api/client.js';
import { explainError } from '../../api/errors.js';
import { Avatar } from '../../components/Avatar.js';
import { Button } from '../../components/Button.js';
import { Dialog } from '../../components/Dialog.js';
import { formatRelative } from '../../i18n/format.js';
import { upsertChat } from '../../state/chats.js';
import { peopleStore } from '../../state/people.js';
import { closeProfile, openProfile, profileStore, rememberRelationship } from '../../state/people-relations.js';
import { chatPath, navigate } from '../../state/router.js';
import { useMe } from '../../state/session.js';
import { useStore } from '../../state/store.js';
import { showToast } from '../../state/toasts.js';
import './people.css';

function PresenceLine({ profile }: { profile: Profile }) {
  const { t, i18n } = useTranslation();
  if (profile.user.deleted) return <p className="profile-presence">{t('presence.deleted')}</p>;
  if (profile.presence === 'online')
    return (
      <p className="profile-presence" data-online="true">
        {t('presence.online')}
      </p>
    );
  if (profile.presence === 'away')
    return (
      <p className="profile-presence" data-away="true">
        {t('contacts.away')}
      </p>
    );
  if (profile.user.lastSeenAt)
    return (
      <p className="profile-presence">
        {t('presence.lastSeen', { when: formatRelative(profile.user.lastSeenAt, i18n.language) ?? t('time.justNow') })}
      </p>
    );
  return null;
}

function ProfileBody({ profile, onChange }: { profile: Profile; onChange(next: Profile): void }) {
  const { t } = useTranslation();
  const me = useMe();
  const [alias, setAlias] = useState(profile.relationship.alias ?? '');
  const [busy, setBusy] = useState(false);
  const { user, relationship: rel } = profile;
  const self = user.id === me.id;

  const act = async (work: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await work();
      const next = await parley.people.profile(user.id);
      rememberRelationship(next.relationship);
      onChange(next);
    } catch (error) {
      showToast(explainError(error, t).message, 'error');
    } finally {
      setBusy(false);
    }
  };
  const message = async () => {
    try {
      const chat = await parley.chats.openDirect(user.id);
      upsertChat(chat);
      closeProfile();
      navigate(chatPath(chat.id));
    } catch (error) {
      showToast(explainError(error, t).message, 'error');
    }
  };

  return (
    <div className="profile" data-testid="profile">
      <div className="profile-head">
        <Avatar id={user.id} name={user.displayName} size={72} />
        <div className="profile-names">
          <p className="profile-name">
            <bdi title={rel.alias ? user.displayName : undefined}>{rel.alias ?? user.displayName}</bdi>
            {rel.starred && (
              <span className="profile-star" role="img" aria-label={t('contacts.starred')}>
                ★
              </span>
            )}
          </p>
          {rel.alias && (
            <p className="profile-real-name">
              <bdi>{user.displayName}</bdi>
            </p>
          )}
          <p className="profile-username">@{user.username}</p>
          <PresenceLine profile={profile} />
        </div>
      </div>
      {user.statusText && (
        <p className="profile-status" dir="auto">
          {user.statusText}
        </p>
      )}
      {user.bio && (
        <p className="profile-bio" dir="auto">
          {user.bio}
        </p>
      )}
      {!self && !user.deleted && (
        <div className="profile-actions">
          {profile.canMessage && <Button onClick={() => void message()}>{t('contacts.message')}</Button>}
          {rel.state === 'none' || rel.state === 'declined' ? (
            <Button variant="secondary" busy={busy} onClick={() => void act(() => parley.contacts.request(user.id))}>
              {t('contacts.add')}
            </Button>
          ) : null}
          {rel.state === 'sent' && (
            <Button variant="secondary" busy={busy} onClick={() => void act(() => parley.contacts.cancel(rel.requestId ?? ''))}>
              {t('contacts.cancelRequest')}
            </Button>
          )}
          {rel.state === 'received' && (
            <>
              <Button busy={busy} onClick={() => void act(() => parley.contacts.accept(rel.requestId ?? ''))}>
                {t('contacts.accept')}
              </Button>
              <Button variant="secondary" busy={busy} onClick={() => void act(() => parley.contacts.decline(rel.requestId ?? ''))}>
                {t('contacts.decline')}
              </Button>
            </>
          )}
          {rel.state === 'accepted' && (
            <Button variant="ghost" busy={busy} onClick={() => void act(() => parley.contacts.remove(user.id))}>
              {t('contacts.remove')}
            </Button>
          )}
          <Button variant="ghost" busy={busy} onClick={() => void act(() => parley.contacts.update(user.id, { starred: !rel.starred }))}>
            {rel.starred ? t('contacts.unstar') : t('contacts.star')}
          </Button>
          <Button
            variant={rel.blocked ? 'secondary' : 'danger'}
            busy={busy}
            onClick={() => void act(() => (rel.blocked ? parley.contacts.unblock(user.id) : parley.contacts.block(user.id)))}
          >
            {rel.blocked ? t('contacts.unblock') : t('contacts.block')}
          </Button>
        </div>
      )}
      {rel.state === 'sent' && <p className="profile-hint">{t('contacts.requestSent')}</p>}
      {rel.state === 'declined' && <p className="profile-hint">{t('contacts.requestDeclined')}</p>}
      {!self && !user.deleted && (
        <form
          className="profile-alias"
          onSubmit={(event) => {
            event.preventDefault();
            void act(() => parley.contacts.update(user.id, { alias: alias.trim() || null }));
          }}
        >
          <label className="field-label" htmlFor="profile-alias">
            {t('contacts.alias')}
          </label>
          <div className="profile-alias-row">
            <input
              id="profile-alias"
              className="input"
              value={alias}
              maxLength={64}
              placeholder={t('contacts.aliasPlaceholder')}
              onChange={(event) => setAlias(event.target.value)}
            />
            <Button type="submit" variant="secondary" busy={busy}>
              {t('contacts.saveAlias')}
            </Button>
          </div>
          <p className="profile-hint">{t('contacts.aliasHint')}</p>
        </form>
      )}
      {profile.sharedChats.length > 0 && (
        <section className="profile-shared" aria-label={t('contacts.sharedGroups')}>
          <h3 className="profile-section-title">{t('contacts.sharedGroups')}</h3>
          <ul>
            {profile.sharedChats.map((chat) => (
              <li key={chat.id}>
                <button
                  type="button"
                  className="link-button"
                  onClick={() => {
                    closeProfile();
                    navigate(chatPath(chat.id));
                  }}
                >
                  <bdi>{chat.name}</bdi>
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

/** A click on an @mention in any message opens that person's profile (looked up by username when not met yet). */
function useMentionClicks() {
  useEffect(() => {
    const onClick = (event: MouseEvent) => {
      const mention = event.target instanceof Element ? event.target.closest<HTMLElement>('.mention[data-username]') : null;
      const username = mention?.dataset.username;
      if (!username || username === 'all') return;
      const known = Object.values(peopleStore.get()).find((p) => p.username === username);
      if (known) return openProfile(known.id);
      parley.users.search(username, { limit: 5 }).then(
        (page) => {
          const found = page.items.find((u) => u.username === username);
          if (found) openProfile(found.id);
        },
        () => undefined,
      );
    };
    document.addEventListener('click', onClick);
    return () => document.removeEventListener('click', onClick);
  }, []);
}

/** Mounted once in the shell; shows the profile `openProfile(userId)` asked for. */
export function ProfileDialog() {
  const { t } = useTranslation();
  useMentionClicks();
  const userId = useStore(profileStore, (id) => id);
  const [profile, setProfile] = useState<Profile | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    setProfile(null);
    setFailed(false);
    if (!userId) return;
    let live = true;
    parley.people.profile(userId).then(
      (p) => live && setProfile(p),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [userId]);
  if (!userId) return null;
  return (
    <Dialog title={t('contacts.profile')} onClose={closeProfile} className="profile-dialog">
      {profile ? (
        <ProfileBody key={profile.user.id} profile={profile} onChange={setProfile} />
      ) : failed ? (
        <p>{t('contacts.profileFailed')}</p>
      ) : (
        <p role="status">{t('contacts.loading')}</p>
      )}
    </Dialog>
  );
}
