/** The WebSocket commands of polls (E16), merged into the command table (realtime/commands.ts). */
import { CreatePollParams, MessageRef, VoteParams } from '@parley/protocol';
import { type Command, define } from '../../realtime/commands.js';
import type { Services } from '../../services.js';

export function pollsCommands({ polls }: Services): Record<'poll.create' | 'poll.get' | 'poll.vote' | 'poll.close', Command> {
  return {
    'poll.create': define(CreatePollParams, (actor, p) => polls.create(actor, p)),
    'poll.get': define(MessageRef, (actor, p) => polls.get(actor, p)),
    'poll.vote': define(VoteParams, (actor, p) => polls.vote(actor, p)),
    'poll.close': define(MessageRef, (actor, p) => polls.close(actor, p)),
  };
}
