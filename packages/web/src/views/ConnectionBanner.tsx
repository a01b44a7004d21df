/**
 * Says so while the live connection is down: messages still go into the outbox and will
 * be sent on reconnect, so the banner is information, not an error. The first connect
 * shows it only if it takes a moment (CSS delays it), so a normal start never flashes.
 */
import { useTranslation } from 'react-i18next';
import { getRealtime, useConnectionState } from '../state/connection.js';

export function ConnectionBanner() {
  const { t } = useTranslation();
  const state = useConnectionState();
  if (state === 'open' || state === 'closed') return null;
  const reconnecting = state === 'reconnecting';
  return (
    <div className="connection-banner" role="status" data-state={state}>
      <span className="spinner" aria-hidden="true" />
      <span>{reconnecting ? t('connection.reconnecting') : t('connection.connecting')}</span>
      {reconnecting && (
        <button type="button" className="connection-banner-action" onClick={() => getRealtime().reconnectNow()}>
          {t('connection.retryNow')}
        </button>
      )}
    </div>
  );
}
