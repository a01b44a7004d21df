/** In settings: export my data (J7) — ask, wait for the job, then a download link that expires. */
import type { DataExport } from '@parley/protocol';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parley } from '../../api/client.js';
import { explainError } from '../../api/errors.js';
import { Button } from '../../components/Button.js';
import { FormMessage } from '../../components/fields.js';
import { formatDateTime } from '../../i18n/format.js';
import { Section } from '../settings/Section.js';

const POLL_MS = 1500;

export function ExportSection() {
  const { t, i18n } = useTranslation();
  const [requested, setRequested] = useState<DataExport | null>(null);
  const [status, setStatus] = useState<DataExport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  // The link comes with the request; the list says when the archive behind it is ready.
  useEffect(() => {
    if (!requested || status?.status === 'ready' || status?.status === 'failed') return;
    const timer = setInterval(() => {
      parley.exports
        .list()
        .then(({ items }) => setStatus(items.find((e) => e.id === requested.id) ?? null))
        .catch(() => undefined);
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [requested, status]);

  const start = async () => {
    setBusy(true);
    setError(null);
    setStatus(null);
    try {
      setRequested(await parley.exports.request());
    } catch (failure) {
      setError(explainError(failure, t).message);
    } finally {
      setBusy(false);
    }
  };

  const state = status?.status ?? requested?.status;
  return (
    <Section title={t('admin.export.title')} description={t('admin.export.description')}>
      <div>
        <Button variant="secondary" busy={busy || state === 'pending'} onClick={() => void start()}>
          {t('admin.export.start')}
        </Button>
      </div>
      {state === 'pending' && <FormMessage tone="info">{t('admin.export.pending')}</FormMessage>}
      {state === 'failed' && <FormMessage tone="error">{t('admin.export.failed')}</FormMessage>}
      {state === 'ready' && requested?.downloadUrl && (
        <div className="export-ready" role="status">
          <p>{t('admin.export.ready')}</p>
          <a className="button button-primary" href={requested.downloadUrl} download>
            {t('admin.export.download')}
          </a>
          {status?.expiresAt && (
            <p className="settings-section-description">
              {t('admin.export.expires', { when: formatDateTime(status.expiresAt, i18n.language) })}
            </p>
          )}
        </div>
      )}
      <FormMessage tone="error">{error}</FormMessage>
    </Section>
  );
}
