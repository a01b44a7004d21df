/**
 * Writing a message. Enter sends, Shift+Enter starts a new line, Up on an empty field
 * edits your last message, Escape leaves reply or edit mode. `@` suggests members, `:name`
 * suggests emoji (views/custom-emoji/EmojiSuggestions.tsx). The emoji picker is a separate download. Drafts are kept per chat and synced to the person's
 * other devices (state/drafts.ts).
 *
 * An Enter that confirms an input method's composition (Japanese, Chinese, Korean…) never
 * sends: browsers mark it `isComposing` (Chromium, Firefox) or keyCode 229 (Safari sends
 * that keydown just after compositionend), and we also track the composition ourselves.
 * Past MESSAGE_MAX_LENGTH characters the text is never cut silently: a counter shows near
 * the limit, and past it the person chooses to send several messages or to trim.
 */
import { type Chat, type ChatMember, MESSAGE_MAX_LENGTH, type Message } from '@parley/protocol';
import { type KeyboardEvent, lazy, Suspense, useEffect, useId, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parley } from '../../api/client.js';
import { explainError } from '../../api/errors.js';
import { Avatar } from '../../components/Avatar.js';
import { CrossIcon, EditIcon, LockIcon, ReplyIcon, SendIcon, SmileIcon } from '../../components/icons.js';
import { ListboxOption, optionId } from '../../components/ListboxOption.js';
import { sendTyping } from '../../state/connection.js';
import { clearDraft, draftsStore, saveDraftSoon, useStoredDraft } from '../../state/drafts.js';
import { applyUpdated, sendText } from '../../state/messages.js';
import { chatTitle, personName } from '../../state/people.js';
import { showToast } from '../../state/toasts.js';
import { groupMentionOptions, useUserGroups } from '../../state/user-groups.js';
import { plainText } from '../../text/markdown.js';
import { COUNTER_FROM, characterCount, splitForSending, trimToLimit } from '../../text/split.js';
import { AttachButton, AttachmentTray } from '../attachments/AttachmentTray.js';
import { filesForMessage } from '../attachments/pending-files.js';
import { useComposerAttachments } from '../attachments/useComposerAttachments.js';
import { VoiceRecorder } from '../attachments/VoiceRecorder.js';
import { EmojiSuggestions, useEmojiAutocomplete } from '../custom-emoji/EmojiSuggestions.js';
import { PollButton } from '../polls/PollButton.js';
import { ScheduleButton } from '../scheduled/ScheduleButton.js';
import { privatePeerOf } from './permissions.js';

const EmojiPicker = lazy(() => import('../../components/emoji/EmojiPicker.js'));

export type ComposerMode = { kind: 'new' } | { kind: 'reply'; message: Message; private: boolean } | { kind: 'edit'; message: Message };

const drafts = new Map<string, string>();
const TYPING_EVERY_MS = 3000;
const MAX_HEIGHT_PX = 200;
const MENTION_QUERY = /(?:^|[\s([{])@([A-Za-z0-9_.]{0,32})$/;

interface MentionOption {
  username: string;
  displayName: string;
  id: string;
}

function mentionOptions(
  members: readonly ChatMember[],
  meId: string,
  query: string,
  t: (key: 'mention.all' | 'personal.mentionHere') => string,
  group: boolean,
): MentionOption[] {
  const q = query.toLowerCase();
  const people = members
    .filter((m) => m.user.id !== meId && !m.user.deleted)
    .filter(
      (m) =>
        m.user.username.startsWith(q) ||
        m.user.displayName
          .toLowerCase()
          .split(/\s+/)
          .some((word) => word.startsWith(q)),
    )
    .map((m) => ({ id: m.user.id, username: m.user.username, displayName: m.user.displayName }));
  const all = group && 'all'.startsWith(q) ? [{ id: 'all', username: 'all', displayName: t('mention.all') }] : [];
  const here = group && 'here'.startsWith(q) ? [{ id: 'here', username: 'here', displayName: t('personal.mentionHere') }] : [];
  return [...people, ...all, ...here].slice(0, 6);
}

export function Composer({
  chat,
  meId,
  members,
  mode,
  onModeChange,
  lastOwnMessage,
  onSent,
  hidden = false,
}: {
  chat: Chat;
  meId: string;
  members: readonly ChatMember[];
  mode: ComposerMode;
  onModeChange(mode: ComposerMode): void;
  /** The newest editable message of ours, for Up-arrow editing. */
  lastOwnMessage: () => Message | null;
  onSent(): void;
  /** Kept (with its text) but not shown, while the chat is in selection mode. */
  hidden?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const listId = useId();
  const counterId = useId();
  const field = useRef<HTMLTextAreaElement>(null);
  const [text, setText] = useState(() => drafts.get(chat.id) ?? draftsStore.get()[chat.id] ?? '');
  const [caret, setCaret] = useState(0);
  const [mentionIndex, setMentionIndex] = useState(0);
  const [mentionDismissed, setMentionDismissed] = useState<string | null>(null);
  const [pickerOpen, setPickerOpen] = useState(false);
  const [saving, setSaving] = useState(false);
  const attachments = useComposerAttachments();
  const lastTyping = useRef(0);
  const draftBeforeEdit = useRef('');
  const composing = useRef(false);
  const length = useMemo(() => characterCount(text), [text]);
  const tooLong = length > MESSAGE_MAX_LENGTH;

  // Entering edit mode puts the message in the field; leaving it restores the draft.
  const editing = mode.kind === 'edit' ? mode.message : null;
  const editingId = editing?.id ?? null;
  const editingText = useRef('');
  editingText.current = editing?.text ?? '';
  useEffect(() => {
    if (editingId === null) return;
    draftBeforeEdit.current = field.current?.value ?? '';
    setText(editingText.current);
    requestAnimationFrame(() => {
      const el = field.current;
      el?.focus();
      el?.setSelectionRange(el.value.length, el.value.length);
    });
  }, [editingId]);

  useEffect(() => {
    if (mode.kind === 'reply') field.current?.focus();
  }, [mode]);

  // Ready to type when a chat opens — except on phones, where focus would pop up the keyboard.
  useEffect(() => {
    if (window.matchMedia('(min-width: 481px) and (pointer: fine)').matches) field.current?.focus({ preventScroll: true });
  }, []);

  useEffect(() => {
    if (mode.kind !== 'edit') drafts.set(chat.id, text);
    if (mode.kind !== 'edit') saveDraftSoon(chat.id, text);
  }, [chat.id, text, mode.kind]);

  // The draft changed on another of our devices: take it, unless something else was typed here since.
  const storedDraft = useStoredDraft(chat.id);
  const lastStoredDraft = useRef(storedDraft);
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a change of the stored draft should replace the text.
  useEffect(() => {
    const seen = lastStoredDraft.current ?? '';
    lastStoredDraft.current = storedDraft;
    if (mode.kind !== 'edit' && text === seen) setText(storedDraft ?? '');
  }, [storedDraft]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the field is measured again whenever its text changes.
  useLayoutEffect(() => {
    const el = field.current;
    if (!el) return;
    el.style.height = 'auto';
    el.style.height = `${Math.min(el.scrollHeight, MAX_HEIGHT_PX)}px`;
  }, [text]);

  const mentionMatch = chat.kind === 'direct' ? null : MENTION_QUERY.exec(text.slice(0, caret));
  const mentionQuery = mentionMatch ? (mentionMatch[1] ?? '') : null;
  // People of the chat first, then user groups (E20) such as @design.
  const userGroups = useUserGroups();
  const options = useMemo(
    () =>
      mentionQuery === null || mentionQuery === mentionDismissed
        ? []
        : [
            ...mentionOptions(members, meId, mentionQuery, t, chat.kind !== 'direct'),
            ...groupMentionOptions(userGroups, mentionQuery),
          ].slice(0, 8),
    [mentionQuery, mentionDismissed, members, meId, t, chat.kind, userGroups],
  );
  const activeOption = options[Math.min(mentionIndex, options.length - 1)];
  const emoji = useEmojiAutocomplete(
    text,
    caret,
    (next, position) => {
      setText(next);
      setCaret(position);
      requestAnimationFrame(() => field.current?.setSelectionRange(position, position));
    },
    mentionQuery === null,
  );

  const cancelMode = () => {
    if (mode.kind === 'edit') setText(draftBeforeEdit.current);
    onModeChange({ kind: 'new' });
  };

  const insertMention = (option: MentionOption) => {
    const before = text.slice(0, caret).replace(/@([A-Za-z0-9_.]{0,32})$/, `@${option.username} `);
    const next = before + text.slice(caret);
    setText(next);
    setCaret(before.length);
    requestAnimationFrame(() => field.current?.setSelectionRange(before.length, before.length));
  };

  const insertText = (insert: string) => {
    const el = field.current;
    const start = el?.selectionStart ?? text.length;
    const end = el?.selectionEnd ?? text.length;
    const next = text.slice(0, start) + insert + text.slice(end);
    setText(next);
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(start + insert.length, start + insert.length);
    });
  };

  const submit = async (split = false) => {
    const body = text.trim();
    const fileCount = mode.kind === 'edit' ? 0 : attachments.items.length;
    if ((body === '' && fileCount === 0) || saving) return;
    if (characterCount(body) > MESSAGE_MAX_LENGTH && !split) return;
    if (mode.kind === 'edit') {
      if (body === mode.message.text) return cancelMode();
      setSaving(true);
      try {
        applyUpdated(await parley.messages.edit(chat.id, mode.message.id, body));
        setText(draftBeforeEdit.current);
        onModeChange({ kind: 'new' });
      } catch (error) {
        showToast(t('message.editFailed', { reason: explainError(error, t).message }), 'error');
      } finally {
        setSaving(false);
      }
      return;
    }
    const replyTo = mode.kind === 'reply' ? mode.message : null;
    const privateTo = replyTo ? (mode.kind === 'reply' && mode.private ? replyTo.senderId : privatePeerOf(replyTo, meId)) : null;
    // Files still uploading go with the message, which shows as pending until they are done.
    const files = filesForMessage(attachments.handOver());
    // A long text goes as several messages in order; only the first carries the reply.
    const parts = split ? splitForSending(body) : [body];
    parts.forEach((part, index) => {
      sendText(chat.id, part, {
        replyTo: index === 0 ? replyTo : null,
        // The files travel with the first part, the text as their caption.
        ...(index === 0 && files),
        privateTo,
        onError: (error) => showToast(t('message.sendFailed', { reason: explainError(error, t).message }), 'error'),
      });
    });
    setText('');
    drafts.delete(chat.id);
    clearDraft(chat.id);
    onModeChange({ kind: 'new' });
    onSent();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.nativeEvent.isComposing || event.keyCode === 229 || composing.current) return;
    if (options.length > 0 && activeOption) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        const step = event.key === 'ArrowDown' ? 1 : -1;
        setMentionIndex((i) => (Math.min(i, options.length - 1) + step + options.length) % options.length);
        return;
      }
      if (event.key === 'Enter' || event.key === 'Tab') {
        event.preventDefault();
        insertMention(activeOption);
        return;
      }
      if (event.key === 'Escape') {
        event.preventDefault();
        setMentionDismissed(mentionQuery);
        return;
      }
    }
    if (emoji.onKeyDown(event)) return;
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      void submit();
      return;
    }
    if (event.key === 'Escape' && pickerOpen) {
      event.preventDefault();
      setPickerOpen(false);
      return;
    }
    if (event.key === 'Escape' && mode.kind !== 'new') {
      event.preventDefault();
      cancelMode();
      return;
    }
    if (event.key === 'ArrowUp' && text === '' && mode.kind === 'new') {
      const last = lastOwnMessage();
      if (last) {
        event.preventDefault();
        onModeChange({ kind: 'edit', message: last });
      }
    }
  };

  const onChange = (value: string, position: number) => {
    setText(value);
    setCaret(position);
    setMentionIndex(0);
    const now = Date.now();
    if (value.trim() !== '' && mode.kind !== 'edit' && now - lastTyping.current > TYPING_EVERY_MS) {
      lastTyping.current = now;
      sendTyping(chat.id);
    }
  };

  const privatePeer = mode.kind === 'reply' ? (mode.private ? mode.message.senderId : privatePeerOf(mode.message, meId)) : null;

  return (
    <form
      className="composer"
      hidden={hidden}
      data-dragging={attachments.dragging || undefined}
      {...attachments.dropTarget}
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      {mode.kind !== 'new' && (
        <div className="composer-context" data-private={privatePeer ? 'true' : undefined}>
          <span className="composer-context-icon">
            {mode.kind === 'edit' ? <EditIcon /> : privatePeer ? <LockIcon size={18} /> : <ReplyIcon />}
          </span>
          <span className="composer-context-text">
            <span className="composer-context-title">
              {mode.kind === 'edit'
                ? t('composer.editing')
                : privatePeer
                  ? t('composer.replyingPrivately', { name: personName(privatePeer) ?? mode.message.sender?.displayName ?? '' })
                  : t('composer.replyingTo', { name: mode.message.sender?.displayName ?? '' })}
            </span>
            <span className="composer-context-quote" dir="auto">
              {plainText(mode.message.text)}
            </span>
          </span>
          <button
            type="button"
            className="icon-button"
            aria-label={mode.kind === 'edit' ? t('composer.cancelEdit') : t('composer.cancelReply')}
            onClick={cancelMode}
          >
            <CrossIcon size={18} />
          </button>
        </div>
      )}
      {options.length > 0 && (
        <div className="mention-list" id={listId} role="listbox" aria-label={t('mention.label')}>
          {options.map((option) => (
            <ListboxOption
              key={option.id}
              listId={listId}
              id={option.id}
              selected={option === activeOption}
              className="mention-option"
              onChoose={() => insertMention(option)}
            >
              <Avatar id={option.id} name={option.displayName} size={28} />
              <span className="mention-option-name">{option.displayName}</span>
              <span className="mention-option-username">@{option.username}</span>
            </ListboxOption>
          ))}
        </div>
      )}
      <EmojiSuggestions autocomplete={emoji} />
      {length >= COUNTER_FROM && (
        <div className="composer-limit" id={counterId} data-over={tooLong ? 'true' : undefined} role={tooLong ? 'alert' : undefined}>
          <span className="composer-limit-count">
            {tooLong
              ? t('composer.overLimit', { count: length - MESSAGE_MAX_LENGTH })
              : t('composer.charactersLeft', { count: MESSAGE_MAX_LENGTH - length })}
          </span>
          {tooLong && (
            <>
              <span>{t('composer.tooLong', { max: MESSAGE_MAX_LENGTH.toLocaleString(i18n.language) })}</span>
              {mode.kind !== 'edit' && (
                <button type="button" className="link-button" onClick={() => void submit(true)}>
                  {t('composer.split', { count: splitForSending(text).length })}
                </button>
              )}
              <button type="button" className="link-button" onClick={() => setText(trimToLimit(text))}>
                {t('composer.trim', { max: MESSAGE_MAX_LENGTH.toLocaleString(i18n.language) })}
              </button>
            </>
          )}
        </div>
      )}
      {mode.kind !== 'edit' && <AttachmentTray attachments={attachments} />}
      <div className="composer-row">
        {mode.kind !== 'edit' && <AttachButton onFiles={attachments.add} />}
        <div className="composer-emoji">
          <button
            type="button"
            className="icon-button"
            aria-label={t('composer.emoji')}
            aria-expanded={pickerOpen}
            onClick={() => setPickerOpen((open) => !open)}
          >
            <SmileIcon size={22} />
          </button>
          {pickerOpen && (
            <div className="emoji-popover">
              <Suspense fallback={<div className="emoji-picker emoji-picker-loading" />}>
                <EmojiPicker
                  label={t('composer.emoji')}
                  onPick={(emoji) => insertText(emoji)}
                  onClose={() => {
                    setPickerOpen(false);
                    field.current?.focus();
                  }}
                />
              </Suspense>
            </div>
          )}
        </div>
        {chat.kind !== 'direct' && mode.kind === 'new' && <PollButton chat={chat} />}
        <textarea
          ref={field}
          className="composer-input"
          rows={1}
          value={text}
          aria-label={t('composer.label')}
          placeholder={chat.kind === 'direct' ? t('composer.placeholderDirect', { name: chatTitle(chat) }) : t('composer.placeholder')}
          dir="auto"
          role="combobox"
          aria-expanded={options.length > 0 || emoji.options.length > 0}
          aria-controls={options.length > 0 ? listId : emoji.options.length > 0 ? emoji.listId : undefined}
          aria-autocomplete="list"
          aria-activedescendant={activeOption ? optionId(listId, activeOption.id) : emoji.activeId}
          onChange={(event) => onChange(event.target.value, event.target.selectionStart)}
          onSelect={(event) => setCaret(event.currentTarget.selectionStart)}
          onKeyDown={onKeyDown}
          onPaste={mode.kind === 'edit' ? undefined : attachments.onPaste}
          onCompositionStart={() => {
            composing.current = true;
            emoji.setComposing(true);
          }}
          onCompositionEnd={() => {
            composing.current = false;
            emoji.setComposing(false);
          }}
          aria-invalid={tooLong || undefined}
          aria-describedby={length >= COUNTER_FROM ? counterId : undefined}
        />
        {mode.kind === 'new' && text.trim() !== '' && (
          <ScheduleButton
            chat={chat}
            text={text}
            onScheduled={() => {
              setText('');
              drafts.delete(chat.id);
              clearDraft(chat.id);
            }}
          />
        )}
        <button
          type="submit"
          className="send-button"
          aria-label={mode.kind === 'edit' ? t('composer.save') : t('composer.send')}
          disabled={(text.trim() === '' && (mode.kind === 'edit' || attachments.items.length === 0)) || saving || tooLong}
        >
          {mode.kind === 'edit' ? <EditIcon /> : <SendIcon />}
        </button>
        {mode.kind === 'new' && text.trim() === '' && attachments.items.length === 0 && (
          <VoiceRecorder
            onRecorded={(fileId) =>
              sendText(chat.id, '', {
                attachments: [fileId],
                onError: (error) => showToast(t('message.sendFailed', { reason: explainError(error, t).message }), 'error'),
              })
            }
          />
        )}
      </div>
    </form>
  );
}
