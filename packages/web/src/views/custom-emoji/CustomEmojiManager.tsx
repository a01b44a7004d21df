/**
 * The server's custom emoji (E19) for whoever may change them: add one from a picture
 * (uploaded over tus, then made into a 128 px emoji by the server), and — admins — rename
 * or delete. Shown in the admin console's settings; the list follows `emoji.updated` live.
 */
import type { CustomEmoji } from '@parley/protocol';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { explainError } from '../../api/errors.js';
import { Button } from '../../components/Button.js';
import { FormMessage, TextField } from '../../components/fields.js';
import { customEmojiActions, useCustomEmojiState } from '../../state/custom-emoji.js';
import { startUpload } from '../attachments/upload.js';
import { Section } from '../settings/Section.js';
import { CustomEmojiImage } from './EmojiGlyph.js';
import './custom-emoji.css';

const NAME_PATTERN = '[a-z0-9_\\-]{2,30}';

function EmojiRow({ emoji, canManage, onError }: { emoji: CustomEmoji; canManage: boolean; onError(message: string): void }) {
  const { t } = useTranslation();
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState(emoji.shortName);
  const [busy, setBusy] = useState(false);
  const run = async (work: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await work();
      setRenaming(false);
    } catch (error) {
      onError(t('previewsEmoji.manager.failed', { reason: explainError(error, t).message }));
    } finally {
      setBusy(false);
    }
  };
  const code = `:${emoji.shortName}:`;
  return (
    <li className="emoji-manager-item">
      <CustomEmojiImage id={emoji.id} code={code} large />
      {renaming ? (
        <form
          className="emoji-manager-form"
          onSubmit={(event) => {
            event.preventDefault();
            void run(() => customEmojiActions.rename(emoji.id, name.trim()));
          }}
        >
          <TextField
            label={t('previewsEmoji.manager.renameLabel', { name: emoji.shortName })}
            value={name}
            pattern={NAME_PATTERN}
            required
            onChange={(event) => setName(event.target.value.toLowerCase())}
          />
          <Button type="submit" busy={busy}>
            {t('previewsEmoji.manager.save')}
          </Button>
          <Button variant="secondary" onClick={() => setRenaming(false)}>
            {t('previewsEmoji.manager.cancel')}
          </Button>
        </form>
      ) : (
        <code>{code}</code>
      )}
      {canManage && !renaming && (
        <>
          <Button variant="secondary" onClick={() => setRenaming(true)}>
            {t('previewsEmoji.manager.rename')}
          </Button>
          <Button
            variant="secondary"
            busy={busy}
            aria-label={t('previewsEmoji.manager.deleteLabel', { name: emoji.shortName })}
            onClick={() => void run(() => customEmojiActions.remove(emoji.id))}
          >
            {t('previewsEmoji.manager.delete')}
          </Button>
        </>
      )}
    </li>
  );
}

/** `bare`: inside a settings Section, which has the heading. */
export function CustomEmojiManager({ bare = false }: { bare?: boolean }) {
  const { t } = useTranslation();
  const state = useCustomEmojiState();
  const [name, setName] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ tone: 'error' | 'success'; text: string } | null>(null);
  const add = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!file) return;
    const form = event.currentTarget;
    setBusy(true);
    setMessage(null);
    try {
      const fileId = await startUpload(file, file.name).done;
      const emoji = await customEmojiActions.create(name.trim(), fileId);
      setMessage({ tone: 'success', text: t('previewsEmoji.manager.added', { name: emoji.shortName }) });
      setName('');
      setFile(null);
      form.reset();
    } catch (error) {
      setMessage({ tone: 'error', text: t('previewsEmoji.manager.failed', { reason: explainError(error, t).message }) });
    } finally {
      setBusy(false);
    }
  };
  const body = (
    <>
      {state.items.length === 0 ? (
        <p className="admin-empty">{t('previewsEmoji.manager.empty')}</p>
      ) : (
        <ul className="emoji-manager-list">
          {state.items.map((emoji) => (
            <EmojiRow key={emoji.id} emoji={emoji} canManage={state.canManage} onError={(text) => setMessage({ tone: 'error', text })} />
          ))}
        </ul>
      )}
      {state.canAdd && (
        <form className="emoji-manager-form" onSubmit={(event) => void add(event)}>
          <TextField
            label={t('previewsEmoji.manager.name')}
            hint={t('previewsEmoji.manager.nameHint')}
            value={name}
            pattern={NAME_PATTERN}
            required
            onChange={(event) => setName(event.target.value.toLowerCase())}
          />
          <TextField
            label={t('previewsEmoji.manager.picture')}
            type="file"
            accept="image/png,image/gif,image/webp,image/jpeg,image/avif"
            required
            onChange={(event) => setFile(event.target.files?.[0] ?? null)}
          />
          <Button type="submit" busy={busy}>
            {t('previewsEmoji.manager.add')}
          </Button>
        </form>
      )}
      {message && <FormMessage tone={message.tone}>{message.text}</FormMessage>}
    </>
  );
  if (bare) return <div className="emoji-manager">{body}</div>;
  return (
    <section className="admin-subsection emoji-manager" aria-labelledby="custom-emoji-title">
      <h2 id="custom-emoji-title">{t('previewsEmoji.manager.title')}</h2>
      {body}
    </section>
  );
}

/** Settings → Custom emoji, for people who may add emoji but not manage them (admins do that in the console). */
export function CustomEmojiSection() {
  const { t } = useTranslation();
  const { canAdd, canManage } = useCustomEmojiState();
  if (!canAdd || canManage) return null;
  return (
    <Section title={t('previewsEmoji.manager.title')} description={t('previewsEmoji.manager.settingsHint')}>
      <CustomEmojiManager bare />
    </Section>
  );
}
