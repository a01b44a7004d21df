/**
 * The thread panel's composer: a reply, optionally also sent to the chat. Enter sends,
 * Shift+Enter starts a new line. What is typed is the thread's draft, synced to the person's
 * other devices as the chat composer's is (debounced, cleared on send).
 */
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { explainError } from '../../api/errors.js';
import { SendIcon } from '../../components/icons.js';
import { clearDraft, draftKey, draftsStore, saveDraftSoon, useStoredDraft } from '../../state/drafts.js';
import { sendReply } from '../../state/threads.js';
import { showToast } from '../../state/toasts.js';

/** What was typed in each thread and not sent, kept while the page lives (closing the panel loses nothing). */
const unsent = new Map<string, string>();

export function ThreadComposer({ chatId, rootId, canPost }: { chatId: string; rootId: string; canPost: boolean }) {
  const { t } = useTranslation();
  const [text, setTextState] = useState(() => unsent.get(rootId) ?? draftsStore.get()[draftKey(chatId, rootId)] ?? '');
  const setText = (value: string) => {
    setTextState(value);
    if (value) unsent.set(rootId, value);
    else unsent.delete(rootId);
  };
  const typed = (value: string) => {
    setText(value);
    saveDraftSoon(chatId, value, rootId);
  };

  // The draft changed on another of our devices: take it, unless something else was typed here since.
  const storedDraft = useStoredDraft(chatId, rootId);
  const lastStoredDraft = useRef(storedDraft);
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a change of the stored draft should replace the text.
  useEffect(() => {
    const seen = lastStoredDraft.current ?? '';
    lastStoredDraft.current = storedDraft;
    if (text === seen) setText(storedDraft ?? '');
  }, [storedDraft]);
  const [alsoToChat, setAlsoToChat] = useState(false);
  const alsoId = useId();

  const send = (event?: FormEvent) => {
    event?.preventDefault();
    const body = text.trim();
    if (!body) return;
    sendReply(chatId, rootId, body, alsoToChat, (error) =>
      showToast(t('message.sendFailed', { reason: explainError(error, t).message }), 'error'),
    );
    setText('');
    clearDraft(chatId, rootId);
    setAlsoToChat(false);
  };

  return (
    <form className="thread-composer" onSubmit={send}>
      <textarea
        className="input thread-composer-input"
        aria-label={t('threads.replyLabel')}
        placeholder={t('threads.replyPlaceholder')}
        rows={2}
        value={text}
        disabled={!canPost}
        onChange={(event) => typed(event.target.value)}
        onKeyDown={(event) => {
          if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing) return;
          event.preventDefault();
          send();
        }}
      />
      <div className="thread-composer-row">
        <label className="thread-composer-also" htmlFor={alsoId}>
          <input id={alsoId} type="checkbox" checked={alsoToChat} disabled={!canPost} onChange={(e) => setAlsoToChat(e.target.checked)} />
          {t('threads.alsoToChat')}
        </label>
        <button
          type="submit"
          className="icon-button thread-composer-send"
          aria-label={t('threads.send')}
          title={t('threads.send')}
          disabled={!canPost || !text.trim()}
        >
          <SendIcon />
        </button>
      </div>
    </form>
  );
}
