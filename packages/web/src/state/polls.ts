/**
 * Polls (E16) as the app knows them: the newest results per poll message, from
 * `poll.updated` events and answers, over what the message itself carried when loaded;
 * and our own votes (an anonymous poll names no voters, so those come from the server).
 */
import type { Message, Poll, PollState, PollUpdated } from '@parley/protocol';
import { parley } from '../api/client.js';
import { onEachConnection } from './follow-realtime.js';
import { createStore, useStore, withEntry } from './store.js';

export const pollsStore = createStore<Readonly<Record<string, Poll>>>({});
export const myVotesStore = createStore<Readonly<Record<string, readonly number[]>>>({});

export function applyPoll(messageId: string, poll: Poll) {
  pollsStore.update((all) => withEntry(all, messageId, poll));
}

export function applyPollState(state: PollState) {
  applyPoll(state.messageId, state.poll);
  myVotesStore.update((all) => withEntry(all, state.messageId, state.myVotes));
}

/** Our votes: from the voter lists when the poll names them, else asked for once. */
export function myVotesOf(messageId: string, poll: Poll, meId: string): readonly number[] | undefined {
  const known = myVotesStore.get()[messageId];
  if (known) return known;
  if (poll.anonymous) return undefined;
  return poll.options.flatMap((option, i) => (option.voterIds?.includes(meId) ? [i] : []));
}

export async function loadMyVotes(chatId: string, messageId: string) {
  applyPollState(await parley.polls.get(chatId, messageId));
}

/** The choice after clicking option `index`: single choice picks (or takes back) it; multiple toggles it. */
export function nextChoice(current: readonly number[], index: number, multiple: boolean): number[] {
  if (current.includes(index)) return current.filter((i) => i !== index);
  return multiple ? [...current, index].sort((a, b) => a - b) : [index];
}

export async function vote(chatId: string, messageId: string, options: number[]) {
  applyPollState(await parley.polls.vote(chatId, messageId, options));
}

export async function closePoll(chatId: string, messageId: string) {
  applyPollState(await parley.polls.close(chatId, messageId));
}

export const usePoll = (message: Message | null) =>
  useStore(pollsStore, (all) => (message ? (all[message.id] ?? message.poll) : undefined));
export const useMyVotes = (messageId: string) => useStore(myVotesStore, (all) => all[messageId]);

onEachConnection((realtime, isNew) => {
  if (!isNew) return;
  pollsStore.set({});
  myVotesStore.set({});
  realtime.on('poll.updated', (data) => {
    const { messageId, poll } = data as PollUpdated;
    applyPoll(messageId, poll);
  });
});
