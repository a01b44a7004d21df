/**
 * A group or room a server admin archived (issue 15): a badge beside its title and, in place
 * of the composer, a note that it is read-only. Both follow `chat.archivedAt`, which the
 * `chat.updated` event changes live, so every member's app locks at once.
 */
import type { Chat } from '@parley/protocol';
import { useTranslation } from 'react-i18next';
import './moderation.css';

export function ArchivedBadge({ chat }: { chat: Pick<Chat, 'archivedAt'> }) {
  const { t } = useTranslation();
  if (!chat.archivedAt) return null;
  return (
    <span className="archived-badge" data-testid="archived-badge" title={t('moderation.archivedTitle')}>
      {t('moderation.archived')}
    </span>
  );
}

export function ArchivedNotice() {
  const { t } = useTranslation();
  return (
    <p className="archived-notice" role="status" data-testid="archived-notice">
      {t('moderation.archivedNotice')}
    </p>
  );
}
