/**
 * Notifications (H2, H3): Web Push on this device (permission, subscription), every device
 * that gets pushes with "remove", and missed-message emails with their delay.
 */
import { DIGEST_DELAYS, type PushDevice } from '@parley/protocol';
import { useCallback, useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parley } from '../../api/client.js';
import { explainError } from '../../api/errors.js';
import { Button } from '../../components/Button.js';
import { FormMessage } from '../../components/fields.js';
import { DeviceIcon } from '../../components/icons.js';
import { formatDateTime } from '../../i18n/format.js';
import { disablePush, enablePush, forgetIfThisDevice, pushSupported, thisDeviceId } from '../../push/web-push.js';
import { updateNotificationSettings, useNotificationSettings, useServerInfo } from '../../state/notification-settings.js';
import { deviceName } from './device-name.js';
import { Section } from './Section.js';
import './notifications.css';

function thisDeviceName(): string {
  const { browser, os } = deviceName(navigator.userAgent);
  return [browser, os].filter(Boolean).join(' · ') || navigator.userAgent.slice(0, 120);
}

function PushDevices({ version, onChanged }: { version: number; onChanged(): void }) {
  const { t, i18n } = useTranslation();
  const [devices, setDevices] = useState<PushDevice[] | null>(null);
  const [mine, setMine] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    try {
      const [list, id] = await Promise.all([parley.notifications.pushDevices(), thisDeviceId()]);
      setDevices(list.items);
      setMine(id);
    } catch (error) {
      setProblem(explainError(error, t).message);
    }
  }, [t]);

  useEffect(() => {
    void version;
    void refresh();
  }, [refresh, version]);

  const remove = async (id: string) => {
    try {
      await parley.notifications.removePushDevice(id);
      await forgetIfThisDevice(id);
      onChanged();
    } catch (error) {
      setProblem(explainError(error, t).message);
    }
  };

  if (!devices) return <FormMessage tone="error">{problem ?? undefined}</FormMessage>;
  return (
    <div className="setting-row-stacked">
      <span className="field-label">{t('notify.settings.devices')}</span>
      {devices.length === 0 ? (
        <p className="field-hint">{t('notify.settings.noDevices')}</p>
      ) : (
        <ul className="session-list">
          {devices.map((device) => (
            <li key={device.id} className="session-row" data-current={device.id === mine || undefined}>
              <span className="session-icon">
                <DeviceIcon />
              </span>
              <div className="session-text">
                <p className="session-device">
                  {device.deviceName}
                  {device.id === mine && <span className="badge">{t('notify.settings.thisDevice')}</span>}
                </p>
                <p className="session-meta">{t('notify.settings.since', { date: formatDateTime(device.createdAt, i18n.language) })}</p>
              </div>
              <Button
                variant="secondary"
                onClick={() => void remove(device.id)}
                aria-label={t('notify.settings.removeLabel', { device: device.deviceName })}
              >
                {t('notify.settings.remove')}
              </Button>
            </li>
          ))}
        </ul>
      )}
      <FormMessage tone="error">{problem ?? undefined}</FormMessage>
    </div>
  );
}

function PushOnThisDevice({ onChanged }: { onChanged(): void }) {
  const { t } = useTranslation();
  const [enabled, setEnabled] = useState<boolean | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const supported = pushSupported();

  useEffect(() => {
    void thisDeviceId().then((id) => setEnabled(id !== null));
  }, []);

  const toggle = async () => {
    setBusy(true);
    setMessage(null);
    try {
      if (enabled) {
        await disablePush();
        setEnabled(false);
      } else {
        const result = await enablePush(thisDeviceName());
        setEnabled(result === 'enabled');
        if (result !== 'enabled') setMessage(t(result === 'denied' ? 'notify.settings.denied' : 'notify.settings.unsupported'));
      }
      onChanged();
    } catch (error) {
      setMessage(explainError(error, t).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <div className="setting-row">
        <div>
          <span className="field-label">{t('notify.settings.pushTitle')}</span>
          <p className="field-hint">{supported ? t('notify.settings.pushHint') : t('notify.settings.unsupported')}</p>
        </div>
        {supported && (
          <Button variant={enabled ? 'secondary' : 'primary'} busy={busy || enabled === null} onClick={() => void toggle()}>
            {enabled ? t('notify.settings.disable') : t('notify.settings.enable')}
          </Button>
        )}
      </div>
      <FormMessage tone="error">{message ?? undefined}</FormMessage>
    </>
  );
}

function DigestSettings() {
  const { t } = useTranslation();
  const settings = useNotificationSettings();
  const info = useServerInfo();
  const switchId = useId();
  const delayId = useId();
  if (!settings) return null;
  const mail = info?.mail ?? false;
  return (
    <>
      <div className="setting-row">
        <div>
          <label className="field-label" htmlFor={switchId}>
            {t('notify.settings.emailTitle')}
          </label>
          <p className="field-hint">{mail ? t('notify.settings.emailHint') : t('notify.settings.emailOff')}</p>
        </div>
        <input
          id={switchId}
          className="switch"
          type="checkbox"
          role="switch"
          disabled={!mail}
          aria-checked={settings.emailDigest}
          checked={settings.emailDigest && mail}
          onChange={(event) => void updateNotificationSettings({ emailDigest: event.target.checked })}
        />
      </div>
      {mail && settings.emailDigest && (
        <div className="setting-row">
          <label className="field-label" htmlFor={delayId}>
            {t('notify.settings.delay')}
          </label>
          <select
            id={delayId}
            className="input input-compact"
            value={settings.digestDelayMinutes}
            onChange={(event) =>
              void updateNotificationSettings({ digestDelayMinutes: Number(event.target.value) as (typeof DIGEST_DELAYS)[number] })
            }
          >
            {DIGEST_DELAYS.map((minutes) => (
              <option key={minutes} value={minutes}>
                {t(`notify.settings.delay${minutes}`)}
              </option>
            ))}
          </select>
        </div>
      )}
    </>
  );
}

export function NotificationsSection() {
  const { t } = useTranslation();
  const [version, setVersion] = useState(0);
  const changed = () => setVersion((v) => v + 1);
  return (
    <Section title={t('notify.settings.title')} description={t('notify.settings.description')}>
      <PushOnThisDevice onChanged={changed} />
      <PushDevices version={version} onChanged={changed} />
      <DigestSettings />
    </Section>
  );
}
