/** Who may do what with polls (E16), one condition a line. */

import { AppError } from '../errors.js';
import type { PollRow } from '../modules/polls/polls.repo.js';
import type { ChatAccess } from './chat-access.js';
import { assertCanPost } from './chat-access.js';

const invalid = (field: string, rule: string, message: string) =>
  new AppError('validation_failed', message, { location: 'body', field, rule });

/** Polls are for groups and rooms (a direct chat has one other voter). */
export function assertCanCreatePoll(access: ChatAccess) {
  assertCanPost(access);
  if (access.chat.kind === 'direct') throw invalid('chatId', 'kind', 'Polls are for groups and rooms');
}

export const isPollClosed = (poll: PollRow, at: number) => poll.closed_at !== null || (poll.closes_at !== null && poll.closes_at <= at);

/** A vote names existing options, one at most unless the poll allows several, while the poll is open. */
export function assertCanVote(poll: PollRow, options: readonly number[], at: number) {
  if (isPollClosed(poll, at)) throw new AppError('poll_closed', 'This poll is closed');
  const count = (JSON.parse(poll.options) as unknown[]).length;
  if (options.some((o) => o >= count)) throw invalid('options', 'option', 'No such option in this poll');
  if (poll.multiple === 0 && options.length > 1) throw invalid('options', 'multiple', 'This poll takes one choice');
}

/** Only its creator closes a poll early. */
export function assertCanClosePoll(poll: PollRow, userId: string) {
  if (poll.creator_id !== userId) throw new AppError('forbidden', 'Only the poll’s creator may close it');
}
