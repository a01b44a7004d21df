/** A chat's picture: the other person for a direct chat (with a dot while they are online), the chat's initials otherwise. */
import type { Chat } from '@parley/protocol';
import { useTranslation } from 'react-i18next';
import { usePerson } from '../state/people.js';
import { Avatar } from './Avatar.js';

export function PresenceDot({ online }: { online: boolean }) {
  const { t } = useTranslation();
  if (!online) return null;
  return (
    <span className="presence-dot">
      <span className="visually-hidden">{t('presence.online')}</span>
    </span>
  );
}

export function PersonAvatar({
  id,
  name,
  size = 40,
  showPresence = false,
}: {
  id: string;
  name: string;
  size?: number;
  showPresence?: boolean;
}) {
  const person = usePerson(showPresence ? id : null);
  return (
    <span className="avatar-wrap">
      <Avatar id={id} name={name} size={size} />
      {showPresence && <PresenceDot online={person?.online ?? false} />}
    </span>
  );
}

export function ChatAvatar({ chat, size = 48 }: { chat: Chat; size?: number }) {
  if (chat.kind === 'direct' && chat.peer) return <PersonAvatar id={chat.peer.id} name={chat.peer.displayName} size={size} showPresence />;
  return (
    <span className="avatar-wrap" data-kind={chat.kind}>
      <Avatar id={chat.id} name={chat.name} size={size} />
    </span>
  );
}
