/**
 * One message as a bubble: sender (first of a group), private / forwarded / reply
 * headers, the text (or a tombstone), time, "edited", delivery ticks on our own, and
 * reactions underneath. A pending message (not yet acknowledged) renders through the
 * same component with the same key, so the bubble stays in place when the ack arrives.
 */
import type { Message } from '@parley/protocol';

type ReplyPreview = NonNullable<Message['replyTo']>;

import type { TFunction } from 'i18next';
import { memo, type PointerEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Avatar, hueFor } from '../../components/Avatar.js';
import { BotBadge } from '../../components/BotBadge.js';
import { AlertIcon, ClockIcon, ForwardIcon, LockIcon, MoreIcon, TicksIcon } from '../../components/icons.js';
import { formatDateTime, formatList, formatTime } from '../../i18n/format.js';
import type { Delivery } from '../../state/delivery.js';
import { peopleStore, shownName, usePersonName } from '../../state/people.js';
import { openProfile, useAlias, useBlocked } from '../../state/people-relations.js';
import { usePoll } from '../../state/polls.js';
import { toggleSelected, useSelected } from '../../state/selection.js';
import { useStore } from '../../state/store.js';
import type { PendingMessage } from '../../state/timeline.js';
import { textDirection } from '../../text/direction.js';
import { plainText } from '../../text/markdown.js';
import { RichText } from '../../text/RichText.js';
import { MessageAttachments } from '../attachments/MessageAttachments.js';
import { PendingUploads } from '../attachments/PendingUploads.js';
import { EmojiGlyph } from '../custom-emoji/EmojiGlyph.js';
import { LinkPreviewCard } from '../link-preview/LinkPreviewCard.js';
import { PollCard } from '../polls/PollCard.js';
import { ThreadSummaryBar } from '../threads/ThreadSummaryBar.js';
import { useMessageActions } from './actions.js';

const LONG_PRESS_MS = 480;
const LONG_PRESS_SLOP_PX = 10;

function DeliveryMark({ delivery, readers, t }: { delivery: Delivery; readers: string; t: TFunction }) {
  const label = t(`delivery.${delivery}`);
  return (
    <span
      className="delivery"
      data-delivery={delivery}
      title={delivery === 'read' && readers ? t('delivery.seenBy', { names: readers }) : label}
    >
      {delivery === 'pending' && <ClockIcon size={13} />}
      {delivery === 'failed' && <AlertIcon size={13} />}
      {(delivery === 'sent' || delivery === 'delivered' || delivery === 'read') && <TicksIcon double={delivery !== 'sent'} />}
      <span className="visually-hidden">{label}</span>
    </span>
  );
}

interface MetaProps {
  createdAt: string;
  /** When it was last edited, or null. */
  editedAt: string | null;
  delivery: Delivery | null;
  readers: string;
  t: TFunction;
  language: string;
}

// These take `t` from the row rather than calling useTranslation: a list renders hundreds of them.
function Meta({ createdAt, editedAt, delivery, readers, t, language }: MetaProps) {
  return (
    <>
      {editedAt && (
        <span className="bubble-edited" title={t('message.editedAt', { when: formatDateTime(editedAt, language) })}>
          {t('message.edited')}
        </span>
      )}
      <time dateTime={createdAt} title={formatDateTime(createdAt, language)}>
        {formatTime(createdAt, language)}
      </time>
      {delivery && <DeliveryMark delivery={delivery} readers={readers} t={t} />}
    </>
  );
}

/**
 * A quoted or forwarded message's author as the reader knows them now: by the alias the
 * reader gave them, and a deleted account in the reader's language — the name the server
 * copied into the quote is then its English placeholder ("Deleted user").
 */
function AuthorName({ id, copied, className }: { id: string | null; copied: string; className: string }) {
  const { t } = useTranslation();
  const alias = useAlias(id);
  const known = usePersonName(id);
  return <bdi className={className}>{alias ?? known ?? (copied || t('system.someone'))}</bdi>;
}

function ReplyQuote({ replyTo, onJump, t }: { replyTo: ReplyPreview; onJump: () => void; t: TFunction }) {
  return (
    <button type="button" className="reply-quote" onClick={onJump} title={t('message.showOriginal')}>
      <AuthorName id={replyTo.senderId} copied={replyTo.senderName} className="reply-quote-name" />
      <span className="reply-quote-text" dir="auto">
        {replyTo.deleted ? t('message.deleted') : plainText(replyTo.text)}
      </span>
      <span className="visually-hidden">{t('message.showOriginal')}</span>
    </button>
  );
}

function ReactionChip({ reaction, mine, onToggle }: { reaction: Message['reactions'][number]; mine: boolean; onToggle: () => void }) {
  const { t, i18n } = useTranslation();
  const names = useStore(peopleStore, (people) =>
    formatList(
      reaction.userIds.map((id) => shownName(people[id]) || t('system.someone')),
      i18n.language,
    ),
  );
  return (
    <button
      type="button"
      className="reaction"
      aria-pressed={mine}
      title={names}
      aria-label={t('reactions.label', { emoji: reaction.emoji, count: reaction.count, names })}
      onClick={onToggle}
    >
      <span className="reaction-emoji">
        <EmojiGlyph emoji={reaction.emoji} />
      </span>
      <span className="reaction-count">{reaction.count}</span>
    </button>
  );
}

export interface MessageRowProps {
  rowKey: string;
  message: Message | null;
  pending: PendingMessage | null;
  first: boolean;
  last: boolean;
  mine: boolean;
  meId: string;
  meUsername: string;
  /** Groups and rooms show names and pictures of others. */
  showSender: boolean;
  delivery: Delivery | null;
  /** Names of those who read our message, for the ✓✓ tooltip. */
  readers: string;
  /** The other person of a private message (recipient of ours, or us for theirs). */
  privatePeerName: string | null;
  highlighted: boolean;
}

export const MessageRow = memo(function MessageRow(props: MessageRowProps) {
  const { t, i18n } = useTranslation();
  const actions = useMessageActions();
  const { message, pending, mine } = props;
  const press = useRef<{ timer: number; x: number; y: number } | null>(null);

  const text = message?.text ?? pending?.text ?? '';
  const senderId = message?.senderId ?? props.meId;
  const alias = useAlias(message?.senderId ?? null);
  // A message carries its author's name as the server copied it, without saying the account
  // is gone; once the app knows that (a "left" line, the direct chat's peer, a quote), the
  // reader's own words for a deleted account replace the server's English placeholder.
  const senderGone = useStore(peopleStore, (people) => (message?.senderId ? people[message.senderId]?.deleted === true : false));
  const senderName = alias ?? (senderGone ? t('common.deletedUser') : shownName(message?.sender));
  // Someone you blocked: their message is folded away in shared groups until you open it.
  const fromBlocked = useBlocked(message?.senderId ?? null) && !mine;
  const [unfolded, setUnfolded] = useState(false);
  const replyTo = message?.replyTo ?? pending?.replyTo ?? null;
  const privateTo = message?.privateTo ?? pending?.privateTo ?? null;
  const createdAt = message?.createdAt ?? pending?.createdAt ?? '';
  const deleted = message?.deletedAt != null;
  const delivery: Delivery | null = pending ? (pending.failed ? 'failed' : 'pending') : props.delivery;
  const canAct = message !== null && !deleted;
  // Selecting messages to forward (state/selection.ts): null when the chat is not selecting.
  const selected = useSelected(message?.chatId ?? '', message?.id ?? null);
  const selectable = selected !== null && message !== null && canAct && message.kind === 'text';
  const poll = usePoll(message);

  const openMenu = (x: number, y: number) => {
    if (message && canAct) actions.openMenu(message, { x, y });
  };
  const cancelPress = () => {
    if (press.current) window.clearTimeout(press.current.timer);
    press.current = null;
  };
  const onPointerDown = (event: PointerEvent) => {
    if (event.pointerType !== 'touch' || !canAct) return;
    const { clientX: x, clientY: y } = event;
    press.current = { x, y, timer: window.setTimeout(() => openMenu(x, y), LONG_PRESS_MS) };
  };
  const onPointerMove = (event: PointerEvent) => {
    const start = press.current;
    if (start && Math.hypot(event.clientX - start.x, event.clientY - start.y) > LONG_PRESS_SLOP_PX) cancelPress();
  };

  const meta = (
    <Meta
      createdAt={createdAt}
      editedAt={message?.editedAt != null && !deleted ? message.editedAt : null}
      delivery={mine ? delivery : null}
      readers={props.readers}
      t={t}
      language={i18n.language}
    />
  );

  return (
    <div
      className="message-row"
      data-row={props.rowKey}
      data-seq={message?.seq}
      data-message-id={message?.id}
      data-mine={mine ? 'true' : undefined}
      data-first={props.first ? 'true' : undefined}
      data-last={props.last ? 'true' : undefined}
      data-highlighted={props.highlighted ? 'true' : undefined}
      data-pending={pending ? 'true' : undefined}
      data-selected={selected === null ? undefined : String(selected)}
      // While selecting, a click anywhere on the row ticks it (its checkbox is the keyboard way).
      onClickCapture={
        selectable
          ? (event) => {
              event.preventDefault();
              event.stopPropagation();
              toggleSelected(message);
            }
          : undefined
      }
    >
      {selectable && <input type="checkbox" className="message-select" checked={selected} readOnly aria-label={t('select.message')} />}
      {props.showSender && !mine && (
        <div className="message-avatar">{props.last && <Avatar id={senderId ?? ''} name={senderName || '?'} size={32} />}</div>
      )}
      <div className="message-stack">
        {/* biome-ignore lint/a11y/noStaticElementInteractions: right-click and long-press are shortcuts; the "Message actions" button offers the same menu to everyone. */}
        <div
          className="bubble"
          // The time and ticks sit at the end of the text's last line, where the spacer
          // reserves room: the left for right-to-left text, whatever the page's direction.
          data-text-dir={textDirection(deleted ? '' : text)}
          data-private={privateTo ? 'true' : undefined}
          data-deleted={deleted ? 'true' : undefined}
          onContextMenu={(event) => {
            if (!canAct || (event.target instanceof HTMLAnchorElement && event.target.href)) return;
            event.preventDefault();
            openMenu(event.clientX, event.clientY);
          }}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={cancelPress}
          onPointerCancel={cancelPress}
        >
          {props.first && props.showSender && !mine && (
            <button
              type="button"
              className="bubble-sender"
              data-testid="sender-name"
              title={alias ? shownName(message?.sender) : undefined}
              style={{ ['--avatar-hue' as string]: String(hueFor(senderId ?? '')) }}
              onClick={() => senderId && openProfile(senderId)}
            >
              <bdi>{senderName}</bdi>
              {message?.sender?.bot && <BotBadge />}
            </button>
          )}
          {privateTo && (
            <p className="bubble-private">
              <LockIcon size={12} />
              {mine ? t('message.privateTo', { name: props.privatePeerName ?? '' }) : t('message.privateFrom')}
            </p>
          )}
          {message?.forwardedFrom && (
            <p className="bubble-forwarded">
              <ForwardIcon />
              <span>
                {t('message.forwardedFrom')}{' '}
                <AuthorName
                  id={message.forwardedFrom.senderId}
                  copied={message.forwardedFrom.senderName}
                  className="bubble-forwarded-name"
                />
              </span>
            </p>
          )}
          {replyTo && !deleted && <ReplyQuote replyTo={replyTo} onJump={() => actions.jumpTo(replyTo.id)} t={t} />}
          {deleted ? (
            <p className="bubble-tombstone">
              {t('message.deleted')}
              <span className="bubble-meta-spacer" aria-hidden="true">
                {meta}
              </span>
            </p>
          ) : fromBlocked && !unfolded ? (
            <button type="button" className="bubble-blocked" data-testid="blocked-message" onClick={() => setUnfolded(true)}>
              {t('contacts.blockedMessage')}
            </button>
          ) : message && poll ? (
            <PollCard message={message} poll={poll} meId={props.meId} />
          ) : (
            <>
              {message && !deleted && <MessageAttachments message={message} />}
              {pending?.uploads && <PendingUploads keys={pending.uploads} />}
              {text !== '' && (
                <RichText
                  text={text}
                  me={props.meUsername}
                  trailing={
                    <span className="bubble-meta-spacer" aria-hidden="true">
                      {meta}
                    </span>
                  }
                />
              )}
              {message && <LinkPreviewCard message={message} mine={mine} />}
            </>
          )}
          <span className="bubble-meta">{meta}</span>
        </div>
        {message && message.reactions.length > 0 && !deleted && (
          <div className="reactions">
            {message.reactions.map((reaction) => (
              <ReactionChip
                key={reaction.emoji}
                reaction={reaction}
                mine={reaction.userIds.includes(props.meId)}
                onToggle={() => actions.toggleReaction(message, reaction.emoji)}
              />
            ))}
          </div>
        )}
        {message && !deleted && <ThreadSummaryBar message={message} />}
        {pending?.failed && (
          <p className="bubble-failed" role="alert">
            {t('message.notSent')}
            <button type="button" className="link-button" onClick={() => actions.retry(pending)}>
              {t('message.retry')}
            </button>
            <button type="button" className="link-button" onClick={() => actions.discard(pending)}>
              {t('message.discard')}
            </button>
          </p>
        )}
      </div>
      {canAct && (
        <button
          type="button"
          className="message-more icon-button"
          aria-label={t('message.actions')}
          aria-haspopup="menu"
          onClick={(event) => {
            const box = event.currentTarget.getBoundingClientRect();
            openMenu(mine ? box.left - 200 : box.left, box.bottom);
          }}
        >
          <MoreIcon />
        </button>
      )}
    </div>
  );
});
