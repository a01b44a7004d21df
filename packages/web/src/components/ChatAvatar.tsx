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
  avatarId = null,
}: {
  id: string;
  name: string;
  size?: number;
  showPresence?: boolean;
  /** The photo as the caller knows it; a newer one heard live (people store) wins. */
  avatarId?: string | null;
}) {
  const person = usePerson(id);
  const image = person?.avatarId !== undefined ? person.avatarId : avatarId;
  return (
    <span className="avatar-wrap">
      <Avatar id={id} name={name} size={size} imageId={image} />
      {showPresence && <PresenceDot online={person?.online ?? false} />}
    </span>
  );
}

export function ChatAvatar({ chat, size = 48 }: { chat: Chat; size?: number }) {
  if (chat.kind === 'direct' && chat.peer)
    return <PersonAvatar id={chat.peer.id} name={chat.peer.displayName} size={size} showPresence avatarId={chat.peer.avatarId ?? null} />;
  return (
    <span className="avatar-wrap" data-kind={chat.kind}>
      <Avatar id={chat.id} name={chat.name} size={size} imageId={chat.avatarId ?? null} />
    </span>
  );
}
