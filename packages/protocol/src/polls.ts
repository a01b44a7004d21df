/**
 * Polls (E16): a message whose body is a question with 2–10 options; single or multiple
 * choice, anonymous or not, optionally closing at a time. Votes can be changed until the
 * poll closes (by its creator, or at `closesAt`). Results are live: each change of a
 * person's votes is one `poll.updated` event to the chat's members. An anonymous poll
 * never names voters, in any answer or event; only your own votes come back to you.
 */
import { type Static, Type } from '@sinclair/typebox';
import { Id, Nullable, SafeInteger, Text, Timestamp } from './common.js';

export const POLL_MAX_OPTIONS = 10;

export const PollOption = Type.Object({
  text: Type.String(),
  votes: SafeInteger(),
  /** Who chose it, in voting order; null in an anonymous poll. */
  voterIds: Nullable(Type.Array(Type.String())),
});

/** The part of a poll everyone in the chat sees alike (in `Message.poll` and `poll.updated`). */
export const Poll = Type.Object({
  question: Type.String(),
  /** Options by their index, which is what a vote names. */
  options: Type.Array(PollOption),
  multiple: Type.Boolean(),
  anonymous: Type.Boolean(),
  creatorId: Nullable(Type.String()),
  /** People who voted (a person choosing two options counts once). */
  voterCount: SafeInteger(),
  closesAt: Nullable(Timestamp),
  closedAt: Nullable(Timestamp),
});
export type Poll = Static<typeof Poll>;

/** A poll as one person sees it: with their own votes. */
export const PollState = Type.Object({
  chatId: Id,
  messageId: Id,
  poll: Poll,
  myVotes: Type.Array(SafeInteger()),
});
export type PollState = Static<typeof PollState>;

const PollFields = {
  /** The message's client id (idempotency, as for a send). */
  clientId: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' }),
  question: Text({ minLength: 1, maxLength: 300 }),
  options: Type.Array(Text({ minLength: 1, maxLength: 100 }), { minItems: 2, maxItems: POLL_MAX_OPTIONS }),
  multiple: Type.Optional(Type.Boolean({ default: false })),
  anonymous: Type.Optional(Type.Boolean({ default: false })),
  /** When it closes by itself: in the future, at most a year ahead. */
  closesAt: Type.Optional(Timestamp),
};
export const CreatePollBody = Type.Object(PollFields, { additionalProperties: false });
export type CreatePollBody = Static<typeof CreatePollBody>;
export const CreatePollParams = Type.Object({ chatId: Id, ...PollFields }, { additionalProperties: false });
export type CreatePollParams = Static<typeof CreatePollParams>;

/** Your whole choice: the options' indexes (one at most unless multiple); [] takes your vote back. */
const VoteOptions = Type.Array(SafeInteger({ maximum: POLL_MAX_OPTIONS - 1 }), { maxItems: POLL_MAX_OPTIONS, uniqueItems: true });
export const VoteBody = Type.Object({ options: VoteOptions }, { additionalProperties: false });
export const VoteParams = Type.Object({ chatId: Id, messageId: Id, options: VoteOptions }, { additionalProperties: false });
export type VoteParams = Static<typeof VoteParams>;

/** The `poll.updated` event: the poll after a change of votes, or its closing. */
export interface PollUpdated {
  chatId: string;
  messageId: string;
  poll: Poll;
}
