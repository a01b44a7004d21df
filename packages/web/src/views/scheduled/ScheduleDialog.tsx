/** "Send later": pick a date and time for the text in the composer; also used to move a scheduled message. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { explainError } from '../../api/errors.js';
import { Button } from '../../components/Button.js';
import { Dialog } from '../../components/Dialog.js';
import { FormMessage, TextAreaField, TextField } from '../../components/fields.js';
import { localInputValue } from '../../state/scheduled.js';
import './scheduled.css';

export default function ScheduleDialog({
  title,
  initialText,
  initialAt,
  editText = false,
  onSubmit,
  onClose,
}: {
  title: string;
  initialText: string;
  initialAt: Date;
  /** Editing a scheduled message: its text can change too. */
  editText?: boolean;
  onSubmit(text: string, at: Date): Promise<void>;
  onClose(): void;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState(initialText);
  const [at, setAt] = useState(localInputValue(initialAt));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const when = at === '' ? null : new Date(at);
  const submit = async () => {
    if (!when) return;
    setBusy(true);
    setError(null);
    try {
      await onSubmit(text.trim(), when);
      onClose();
    } catch (failure) {
      setError(explainError(failure, t).message);
      setBusy(false);
    }
  };
  return (
    <Dialog
      title={title}
      onClose={onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button busy={busy} disabled={!when || text.trim() === ''} onClick={() => void submit()}>
            {t('scheduled.confirm')}
          </Button>
        </>
      }
    >
      {editText ? (
        <TextAreaField label={t('scheduled.text')} value={text} onChange={(event) => setText(event.target.value)} />
      ) : (
        <blockquote className="forward-preview" dir="auto">
          {text}
        </blockquote>
      )}
      <TextField label={t('scheduled.when')} type="datetime-local" value={at} onChange={(event) => setAt(event.target.value)} />
      <FormMessage tone="error">{error}</FormMessage>
    </Dialog>
  );
}
