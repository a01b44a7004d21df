/** Where the account is signed in, this device first, with a Revoke for every other one. */
import type { Session } from '@parley/protocol';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parley } from '../../api/client.js';
import { explainError } from '../../api/errors.js';
import { Button } from '../../components/Button.js';
import { FormMessage } from '../../components/fields.js';
import { DeviceIcon } from '../../components/icons.js';
import { formatDateTime, formatRelative } from '../../i18n/format.js';
import { deviceName } from './device-name.js';
import { Section } from './Section.js';

type Load = { status: 'loading' } | { status: 'loaded'; sessions: Session[] } | { status: 'failed'; message: string };

const currentFirst = (sessions: Session[]) =>
  [...sessions].sort((a, b) => Number(b.current) - Number(a.current) || b.lastSeenAt.localeCompare(a.lastSeenAt));

function SessionRow({ session, onRevoke, busy }: { session: Session; onRevoke(): void; busy: boolean }) {
  const { t, i18n } = useTranslation();
  const { browser, os } = deviceName(session.userAgent);
  const device = browser && os ? t('settings.sessions.device', { browser, os }) : (browser ?? os ?? t('settings.sessions.unknownDevice'));
  const lastActive = formatRelative(session.lastSeenAt, i18n.language) ?? t('time.justNow');
  return (
    <li className="session-row" data-current={session.current || undefined}>
      <span className="session-icon">
        <DeviceIcon />
      </span>
      <div className="session-text">
        <p className="session-device">
          {device}
          {session.current && <span className="badge">{t('settings.sessions.current')}</span>}
        </p>
        <p className="session-meta">
          {session.ip} ·{' '}
          <span title={formatDateTime(session.lastSeenAt, i18n.language)}>{t('settings.sessions.lastActive', { when: lastActive })}</span>
        </p>
      </div>
      {!session.current && (
        <Button variant="secondary" busy={busy} onClick={onRevoke} aria-label={t('settings.sessions.revokeLabel', { device })}>
          {t('settings.sessions.revoke')}
        </Button>
      )}
    </li>
  );
}

export function SessionsSection({ version }: { version: number }) {
  const { t } = useTranslation();
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [revoking, setRevoking] = useState<string | null>(null);
  const [message, setMessage] = useState<{ tone: 'error' | 'success'; text: string } | null>(null);

  const refresh = useCallback(async () => {
    try {
      const { items } = await parley.auth.sessions();
      setLoad({ status: 'loaded', sessions: currentFirst(items) });
    } catch (error) {
      setLoad({ status: 'failed', message: explainError(error, t).message });
    }
  }, [t]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` is the signal to reload.
  useEffect(() => {
    void refresh();
  }, [refresh, version]);

  const revoke = async (id: string) => {
    setRevoking(id);
    setMessage(null);
    try {
      await parley.auth.revokeSession(id);
      setMessage({ tone: 'success', text: t('settings.sessions.revoked') });
    } catch (error) {
      setMessage({ tone: 'error', text: explainError(error, t).message });
    } finally {
      setRevoking(null);
      await refresh();
    }
  };

  return (
    <Section title={t('settings.sessions.title')} description={t('settings.sessions.hint')}>
      {load.status === 'loading' && (
        <p className="muted" role="status">
          {t('settings.sessions.loading')}
        </p>
      )}
      {load.status === 'failed' && (
        <div className="inline-error">
          <FormMessage tone="error">{load.message}</FormMessage>
          <Button variant="secondary" onClick={() => void refresh()}>
            {t('settings.sessions.refresh')}
          </Button>
        </div>
      )}
      {load.status === 'loaded' && (
        <ul className="session-list" aria-label={t('settings.sessions.title')}>
          {load.sessions.map((session) => (
            <SessionRow key={session.id} session={session} busy={revoking === session.id} onRevoke={() => void revoke(session.id)} />
          ))}
        </ul>
      )}
      <FormMessage tone={message?.tone ?? 'success'}>{message?.text}</FormMessage>
    </Section>
  );
}
