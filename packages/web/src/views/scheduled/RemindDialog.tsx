/** "Remind me about this message": in 20 minutes, in an hour, tomorrow at 9:00, or a time of your choosing. */
import type { Message } from '@parley/protocol';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { explainError } from '../../api/errors.js';
import { Button } from '../../components/Button.js';
import { Dialog } from '../../components/Dialog.js';
import { FormMessage, TextField } from '../../components/fields.js';
import { formatDateTime } from '../../i18n/format.js';
import { localInputValue, reminderPresets, remindMe } from '../../state/scheduled.js';
import { showToast } from '../../state/toasts.js';
import './scheduled.css';

export default function RemindDialog({ message, onClose }: { message: Message; onClose(): void }) {
  const { t, i18n } = useTranslation();
  const [custom, setCustom] = useState(localInputValue(new Date(Date.now() + 3 * 3_600_000)));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const remind = async (at: Date) => {
    setBusy(true);
    setError(null);
    try {
      await remindMe(message.chatId, message.id, at);
      showToast(t('reminder.set', { time: formatDateTime(at.toISOString(), i18n.language) }));
      onClose();
    } catch (failure) {
      setError(explainError(failure, t).message);
      setBusy(false);
    }
  };
  return (
    <Dialog title={t('reminder.title')} onClose={onClose} className="dialog-compact">
      <div className="remind-presets">
        {reminderPresets(new Date()).map((preset) => (
          <Button key={preset.key} variant="secondary" disabled={busy} onClick={() => void remind(preset.at)}>
            {t(`reminder.${preset.key}`)}
          </Button>
        ))}
      </div>
      <TextField label={t('reminder.custom')} type="datetime-local" value={custom} onChange={(event) => setCustom(event.target.value)} />
      <Button disabled={busy || custom === ''} onClick={() => void remind(new Date(custom))}>
        {t('reminder.setCustom')}
      </Button>
      <FormMessage tone="error">{error}</FormMessage>
    </Dialog>
  );
}
