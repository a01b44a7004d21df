/** Pin or archive the chat on screen (from the conversation header). */
import { useTranslation } from 'react-i18next';
import { parley } from '../../api/client.js';
import { explainError } from '../../api/errors.js';
import { MoreIcon } from '../../components/icons.js';
import { Menu } from '../../components/Menu.js';
import { organisationStore } from '../../state/people-relations.js';
import { useStore } from '../../state/store.js';
import { showToast } from '../../state/toasts.js';

export function ChatOrganiseMenu({ chatId }: { chatId: string }) {
  const { t } = useTranslation();
  const pinned = useStore(organisationStore, (s) => s.pinned.includes(chatId));
  const archived = useStore(organisationStore, (s) => s.archived.includes(chatId));
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
        {
          id: 'archive',
          label: archived ? t('contacts.organise.unarchive') : t('contacts.organise.archive'),
          onSelect: () => void apply(parley.organise.archive(chatId, !archived)),
        },
      ]}
    />
  );
}
