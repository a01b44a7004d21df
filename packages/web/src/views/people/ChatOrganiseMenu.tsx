/** Pin or archive the chat on screen (from the conversation header). */
import { useTranslation } from 'react-i18next';
import { parley } from '../../api/client.js';
import { explainError } from '../../api/errors.js';
import { MoreIcon } from '../../components/icons.js';
import { Menu } from '../../components/Menu.js';
import { organisationStore } from '../../state/people-relations.js';
import { useStore } from '../../state/store.js';
import { showToast } from '../../state/toasts.js';
import { reorderPinned } from '../chat-list/pin-drag.js';

export function ChatOrganiseMenu({ chatId }: { chatId: string }) {
  const { t } = useTranslation();
  const pinned = useStore(organisationStore, (s) => s.pinned.includes(chatId));
  const archived = useStore(organisationStore, (s) => s.archived.includes(chatId));
  const pinIndex = useStore(organisationStore, (s) => s.pinned.indexOf(chatId));
  const pinCount = useStore(organisationStore, (s) => s.pinned.length);
  /** One place up or down among the pinned chats (the keyboard's way to do what dragging does); the same on every device. */
  const move = (by: -1 | 1) => {
    const order = organisationStore.get().pinned;
    const target = order[order.indexOf(chatId) + by];
    if (target) void reorderPinned(chatId, target, (error) => showToast(explainError(error, t).message, 'error'));
  };
  const apply = (work: Promise<{ pinned: string[]; archived: string[] }>) =>
    work.then(
      (organisation) => organisationStore.set(organisation),
      (error: unknown) => showToast(explainError(error, t).message, 'error'),
    );
  return (
    <Menu
      label={t('contacts.organise.menu')}
      icon={<MoreIcon />}
      items={[
        {
          id: 'pin',
          label: pinned ? t('contacts.organise.unpin') : t('contacts.organise.pin'),
          onSelect: () => void apply(parley.organise.pin(chatId, !pinned)),
        },
        ...(pinIndex > 0 ? [{ id: 'move-up', label: t('contacts.organise.moveUp'), onSelect: () => move(-1) }] : []),
        ...(pinIndex >= 0 && pinIndex < pinCount - 1 ? [{ id: 'move-down', label: t('personal.moveDown'), onSelect: () => move(1) }] : []),
        {
          id: 'archive',
          label: archived ? t('contacts.organise.unarchive') : t('contacts.organise.archive'),
          onSelect: () => void apply(parley.organise.archive(chatId, !archived)),
        },
      ]}
    />
  );
}
