/** A secret the server shows only once (a bot token, a webhook URL or signing secret): the value, a copy button, and "done". */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Button } from '../../components/Button.js';
import './integrations.css';

export function ShownOnce({ label, value, onDone }: { label: string; value: string; onDone(): void }) {
  const { t } = useTranslation();
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('yes');
    } catch {
      // No Clipboard API (plain http on a LAN) or no permission: the value stays on screen to select.
      setCopied('failed');
    }
  };
  return (
    <div className="shown-once" role="status" data-testid="shown-once">
      <p className="shown-once-label">{label}</p>
      <code className="shown-once-value">{value}</code>
      <div className="shown-once-actions">
        <Button variant="secondary" onClick={() => void copy()}>
          {copied === 'yes' ? t('integrations.copied') : t('integrations.copy')}
        </Button>
        <Button variant="secondary" onClick={onDone}>
          {t('integrations.done')}
        </Button>
      </div>
      {copied === 'failed' && <p className="shown-once-label">{t('integrations.copyFailed')}</p>}
    </div>
  );
}
