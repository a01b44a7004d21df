/** Marks an account run by a program (J8) wherever people see a name: members, message senders. */
import { useTranslation } from 'react-i18next';
import './bot-badge.css';

export function BotBadge() {
  const { t } = useTranslation();
  return (
    <span className="bot-badge" title={t('admin.bots.badgeTitle')}>
      {t('admin.bots.badge')}
    </span>
  );
}
