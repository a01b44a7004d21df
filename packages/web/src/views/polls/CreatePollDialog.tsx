/** Asking a question: 2–10 options, single or multiple choice, anonymous or not, an optional close time. */
import { type Chat, POLL_MAX_OPTIONS } from '@parley/protocol';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parley } from '../../api/client.js';
import { explainError } from '../../api/errors.js';
import { Button } from '../../components/Button.js';
import { Dialog } from '../../components/Dialog.js';
import { FormMessage, TextField } from '../../components/fields.js';
import { applyCreated } from '../../state/messages.js';
import { applyPoll } from '../../state/polls.js';
import './polls.css';

export default function CreatePollDialog({ chat, onClose }: { chat: Chat; onClose(): void }) {
  const { t } = useTranslation();
  const [question, setQuestion] = useState('');
  const [options, setOptions] = useState(['', '']);
  const [multiple, setMultiple] = useState(false);
  const [anonymous, setAnonymous] = useState(false);
  const [closesAt, setClosesAt] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const filled = options.map((o) => o.trim()).filter((o) => o !== '');
  const ready = question.trim() !== '' && filled.length >= 2;

  const create = async () => {
    setBusy(true);
    setError(null);
    try {
      const message = await parley.polls.create(chat.id, {
        clientId: crypto.randomUUID(),
        question: question.trim(),
        options: filled,
        multiple,
        anonymous,
        ...(closesAt !== '' && { closesAt: new Date(closesAt).toISOString() }),
      });
      applyCreated(message);
      if (message.poll) applyPoll(message.id, message.poll);
      onClose();
    } catch (failure) {
      setError(explainError(failure, t).message);
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={t('poll.create')}
      onClose={onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button busy={busy} disabled={!ready} onClick={() => void create()}>
            {t('poll.post')}
          </Button>
        </>
      }
    >
      <TextField label={t('poll.question')} value={question} maxLength={300} onChange={(event) => setQuestion(event.target.value)} />
      {options.map((option, index) => (
        <TextField
          // biome-ignore lint/suspicious/noArrayIndexKey: the fields are the options' positions; they are only ever added at the end.
          key={index}
          label={t('poll.option', { number: index + 1 })}
          value={option}
          maxLength={100}
          onChange={(event) => setOptions((current) => current.map((o, i) => (i === index ? event.target.value : o)))}
        />
      ))}
      {options.length < POLL_MAX_OPTIONS && (
        <button type="button" className="link-button poll-add-option" onClick={() => setOptions((current) => [...current, ''])}>
          {t('poll.addOption')}
        </button>
      )}
      <label className="poll-setting">
        <input type="checkbox" checked={multiple} onChange={(event) => setMultiple(event.target.checked)} />
        {t('poll.allowMultiple')}
      </label>
      <label className="poll-setting">
        <input type="checkbox" checked={anonymous} onChange={(event) => setAnonymous(event.target.checked)} />
        {t('poll.makeAnonymous')}
      </label>
      <TextField
        label={t('poll.closesAtLabel')}
        type="datetime-local"
        value={closesAt}
        onChange={(event) => setClosesAt(event.target.value)}
      />
      <FormMessage tone="error">{error}</FormMessage>
    </Dialog>
  );
}
