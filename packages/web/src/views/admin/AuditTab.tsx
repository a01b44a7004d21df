/** The audit log, newest first: who did what to what, when, and from which address. */
import type { AuditEntry } from '@parley/protocol';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/Button.js';
import { FormMessage } from '../../components/fields.js';
import { formatDateTime } from '../../i18n/format.js';
import { adminActions } from '../../state/admin.js';
import { useAction, useLoad } from './use-load.js';

/** Details as `key: value` pairs; nested changes as `from → to`. */
function describeDetails(details: Record<string, unknown>): string {
  return Object.entries(details)
    .map(([key, value]) => {
      if (value && typeof value === 'object' && 'from' in value && 'to' in value)
        return `${key}: ${JSON.stringify(value.from)} → ${JSON.stringify(value.to)}`;
      return `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`;
    })
    .join(', ');
}

export function AuditTab() {
  const { t, i18n } = useTranslation();
  const [load] = useLoad(() => adminActions.audit({ limit: 50 }));
  const [more, setMore] = useState<{ items: AuditEntry[]; cursor: string | null } | null>(null);
  const action = useAction();
  if (load.status === 'failed') return <FormMessage tone="error">{t('admin.loadFailed', { reason: load.message })}</FormMessage>;
  if (load.status === 'loading') return null;
  const items = [...load.value.items, ...(more?.items ?? [])];
  const cursor = more ? more.cursor : load.value.nextCursor;
  const loadMore = () =>
    action.run('more', async () => {
      if (!cursor) return;
      const page = await adminActions.audit({ limit: 50, cursor });
      setMore({ items: [...(more?.items ?? []), ...page.items], cursor: page.nextCursor });
    });
  return (
    <section className="admin-section" aria-label={t('admin.tabs.audit')}>
      {items.length === 0 && <p className="admin-empty">{t('admin.audit.empty')}</p>}
      {items.length > 0 && (
        <table className="admin-table admin-audit">
          <thead>
            <tr>
              <th scope="col">{t('admin.audit.when')}</th>
              <th scope="col">{t('admin.audit.who')}</th>
              <th scope="col">{t('admin.audit.action')}</th>
              <th scope="col">{t('admin.audit.details')}</th>
              <th scope="col">{t('admin.audit.from')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((entry) => (
              <tr key={entry.id}>
                <td>{formatDateTime(entry.at, i18n.language)}</td>
                <td>{entry.actorName}</td>
                <td>
                  <code>{entry.action}</code>
                </td>
                <td className="admin-audit-details">{describeDetails(entry.details)}</td>
                <td>{entry.ip}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {cursor && (
        <Button variant="secondary" busy={action.busy === 'more'} onClick={() => void loadMore()}>
          {t('admin.loadMore')}
        </Button>
      )}
    </section>
  );
}
