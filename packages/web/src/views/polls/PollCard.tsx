/**
 * A poll inside its message bubble: the question, each option with its share of the
 * votes (bars and counts, live from `poll.updated`), our own choice marked. Clicking an
 * option votes (single choice: picks or takes back; multiple: toggles); the creator can
 * close it. An anonymous poll names nobody; a closed one only shows results.
 */
import type { Message, Poll } from '@parley/protocol';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { explainError } from '../../api/errors.js';
import { CheckIcon } from '../../components/icons.js';
import { formatDateTime } from '../../i18n/format.js';
import { closePoll, loadMyVotes, myVotesOf, nextChoice, useMyVotes, vote } from '../../state/polls.js';
import { showToast } from '../../state/toasts.js';
import './polls.css';

export function PollCard({ message, poll, meId }: { message: Message; poll: Poll; meId: string }) {
  const { t, i18n } = useTranslation();
  const [busy, setBusy] = useState(false);
  useMyVotes(message.id);
  const mine = myVotesOf(message.id, poll, meId);
  const closed = poll.closedAt !== null || (poll.closesAt !== null && Date.parse(poll.closesAt) <= Date.now());
  const total = poll.options.reduce((sum, option) => sum + option.votes, 0);

  useEffect(() => {
    if (poll.anonymous && mine === undefined) void loadMyVotes(message.chatId, message.id).catch(() => undefined);
  }, [poll.anonymous, mine, message.chatId, message.id]);

  const run = (work: Promise<void>) => {
    setBusy(true);
    work.catch((error: unknown) => showToast(explainError(error, t).message, 'error')).finally(() => setBusy(false));
  };
  const choose = (index: number) => run(vote(message.chatId, message.id, nextChoice(mine ?? [], index, poll.multiple)));

  return (
    <div className="poll" data-closed={closed ? 'true' : undefined}>
      <p className="poll-question" dir="auto">
        {poll.question}
      </p>
      <p className="poll-kind">
        {[poll.anonymous ? t('poll.anonymous') : t('poll.public'), poll.multiple ? t('poll.multiple') : t('poll.single')].join(' · ')}
      </p>
      <ul className="poll-options">
        {poll.options.map((option, index) => {
          const chosen = mine?.includes(index) ?? false;
          const share = total === 0 ? 0 : Math.round((option.votes / total) * 100);
          return (
            // biome-ignore lint/suspicious/noArrayIndexKey: options are identified by their position, which never changes.
            <li key={index}>
              <button
                type="button"
                className="poll-option"
                aria-pressed={chosen}
                disabled={closed || busy}
                onClick={() => choose(index)}
                style={{ ['--poll-share' as string]: `${share}%` }}
              >
                <span className="poll-option-check" aria-hidden="true">
                  {chosen && <CheckIcon size={12} />}
                </span>
                <span className="poll-option-text" dir="auto">
                  {option.text}
                </span>
                <span className="poll-option-count">{t('poll.votes', { count: option.votes, share })}</span>
              </button>
            </li>
          );
        })}
      </ul>
      <p className="poll-footer">
        <span>{t('poll.voters', { count: poll.voterCount })}</span>
        {closed ? (
          <span>{t('poll.closed')}</span>
        ) : (
          poll.closesAt && <span>{t('poll.closesAt', { time: formatDateTime(poll.closesAt, i18n.language) })}</span>
        )}
        {!closed && poll.creatorId === meId && (
          <button type="button" className="link-button" disabled={busy} onClick={() => run(closePoll(message.chatId, message.id))}>
            {t('poll.close')}
          </button>
        )}
      </p>
    </div>
  );
}
