/** The WebSocket commands of threads (E15), merged into the command table (realtime/commands.ts). */
import { FollowThreadParams, MarkThreadReadParams, ThreadListQuery, ThreadRef, ThreadRepliesParams } from '@parley/protocol';
import { type Command, define } from '../../realtime/commands.js';
import type { Services } from '../../services.js';

export function threadsCommands({
  threads,
}: Services): Record<'thread.list' | 'thread.get' | 'thread.replies' | 'thread.markRead' | 'thread.follow', Command> {
  return {
    'thread.list': define(ThreadListQuery, (actor, p) => threads.list(actor, p)),
    'thread.get': define(ThreadRef, (actor, p) => threads.get(actor, p)),
    'thread.replies': define(ThreadRepliesParams, (actor, p) => threads.replies(actor, p)),
    'thread.markRead': define(MarkThreadReadParams, (actor, p) => threads.markRead(actor, p)),
    'thread.follow': define(FollowThreadParams, (actor, p) => threads.follow(actor, p)),
  };
}
