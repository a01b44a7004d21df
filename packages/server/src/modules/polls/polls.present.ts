/**
 * Poll rows → the `Poll` everyone in the chat sees alike. An anonymous poll has counts
 * only: no path from a vote row to a voter's id into a response or an event.
 */
import type { Poll } from '@parley/protocol';
import type { Kysely } from 'kysely';
import { toIso } from '../../clock.js';
import type { Database } from '../../storage/schema.js';
import { type PollRow, pollsRepo, type VoteRow } from './polls.repo.js';

export function presentPoll(row: PollRow, votes: readonly VoteRow[]): Poll {
  const texts = JSON.parse(row.options) as string[];
  const anonymous = row.anonymous === 1;
  const voters = texts.map(() => [] as string[]);
  for (const vote of votes) voters[Number(vote.option)]?.push(vote.user_id);
  return {
    question: row.question,
    options: texts.map((text, i) => ({ text, votes: voters[i]?.length ?? 0, voterIds: anonymous ? null : (voters[i] ?? []) })),
    multiple: row.multiple === 1,
    anonymous,
    creatorId: row.creator_id,
    voterCount: new Set(votes.map((v) => v.user_id)).size,
    closesAt: row.closes_at === null ? null : toIso(row.closes_at),
    closedAt: row.closed_at === null ? null : toIso(row.closed_at),
  };
}

/** The polls among a page of messages, by message id: one query, and a second only when the page has polls. */
export async function pollsByMessage(db: Kysely<Database>, messageIds: string[]): Promise<Map<string, Poll>> {
  const repo = pollsRepo(db);
  const rows = await repo.findMany(messageIds);
  if (rows.length === 0) return new Map();
  const votes = await repo.votesOf(rows.map((r) => r.message_id));
  return new Map(
    rows.map((row) => [
      row.message_id,
      presentPoll(
        row,
        votes.filter((v) => v.poll_id === row.message_id),
      ),
    ]),
  );
}
