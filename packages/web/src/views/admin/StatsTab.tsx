/** People, activity, rooms, messages, storage, and messages per day as a chart. */
import { useTranslation } from 'react-i18next';
import { FormMessage } from '../../components/fields.js';
import { adminActions } from '../../state/admin.js';
import { formatBytes } from './format-bytes.js';
import { MessagesChart } from './MessagesChart.js';
import { useLoad } from './use-load.js';

export function StatsTab() {
  const { t, i18n } = useTranslation();
  const [load] = useLoad(() => adminActions.stats());
  if (load.status === 'failed') return <FormMessage tone="error">{t('admin.loadFailed', { reason: load.message })}</FormMessage>;
  if (load.status === 'loading') return null;
  const stats = load.value;
  const number = (n: number) => n.toLocaleString(i18n.language);
  const cards: Array<[string, string, string?]> = [
    [t('admin.stats.people'), number(stats.people)],
    [t('admin.stats.activeToday'), number(stats.activeToday)],
    [t('admin.stats.suspended'), number(stats.suspended)],
    [t('admin.stats.rooms'), number(stats.rooms)],
    [t('admin.stats.messages'), number(stats.messages)],
    [
      t('admin.stats.storage'),
      formatBytes(stats.storage.databaseBytes + stats.storage.fileBytes),
      t('admin.stats.storageDetail', { database: formatBytes(stats.storage.databaseBytes), files: formatBytes(stats.storage.fileBytes) }),
    ],
  ];
  return (
    <section className="admin-section" aria-label={t('admin.tabs.stats')}>
      <dl className="admin-cards">
        {cards.map(([name, value, detail]) => (
          <div key={name} className="admin-card">
            <dt>{name}</dt>
            <dd>
              <span className="admin-card-value">{value}</span>
              {detail && <span className="admin-sub">{detail}</span>}
            </dd>
          </div>
        ))}
      </dl>
      <MessagesChart days={stats.messagesPerDay} />
    </section>
  );
}
