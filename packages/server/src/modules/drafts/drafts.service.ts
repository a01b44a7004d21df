/**
 * Drafts synced across devices (I5). The app saves what is typed (debounced) and clears it
 * when the message is sent; each change is one `draft.updated` event in the person's own
 * stream, so their other devices show the same draft. Nobody else ever sees a draft. A
 * thread's composer has its own draft (`threadRootId`), under a root the person may see.
 *
 * Clearing on send is the sending app's call (it saves '' after the send), not a statement
 * in the send path: most messages never had a stored draft, and a send stays as cheap as it
 * was. An unchanged save writes nothing and emits nothing.
 */
import type { Draft, DraftList, SaveDraftParams } from '@parley/protocol';
import type { Kysely } from 'kysely';
import type { Actor } from '../../access/actor.js';
import { requireMember, requireVisibleMessage } from '../../access/chat-access.js';
import type { RateLimits } from '../../access/rate-limits.js';
import { assertCanBeThreadRoot } from '../../access/thread-access.js';
import { now } from '../../clock.js';
import type { Transact } from '../../realtime/event-log.js';
import type { Database } from '../../storage/schema.js';
import { type DraftRow, draftsRepo } from './drafts.repo.js';

export type DraftsService = ReturnType<typeof createDraftsService>;

const present = (row: DraftRow): Draft => ({
  chatId: row.chat_id,
  ...(row.thread_root_id !== '' && { threadRootId: row.thread_root_id }),
  text: row.text,
  updatedAt: new Date(Number(row.updated_at)).toISOString(),
});

export function createDraftsService(db: Kysely<Database>, transact: Transact, limits: RateLimits) {
  const drafts = draftsRepo(db);
  return {
    async list(actor: Actor): Promise<DraftList> {
      return { items: (await drafts.listFor(actor.userId)).map(present) };
    },

    /** Stores the draft (an empty text clears it) and tells the person's devices. */
    async save(actor: Actor, params: SaveDraftParams): Promise<Draft> {
      await requireMember(db, actor, params.chatId);
      const thread = params.threadRootId ?? '';
      if (params.threadRootId) {
        // A root outside this chat, or one the person may not see, answers like a missing one.
        const { message } = await requireVisibleMessage(db, actor, params.chatId, params.threadRootId);
        assertCanBeThreadRoot(message, 'threadRootId');
      }
      // Drafts are saved by the app on its own as people type: the read-and-typing budget.
      await limits.consume('readTyping', actor.userId);
      const current = await drafts.find(actor.userId, params.chatId, thread);
      if ((current?.text ?? '') === params.text)
        return present(current ?? { chat_id: params.chatId, thread_root_id: thread, text: '', updated_at: now() });
      const at = now();
      const draft = present({ chat_id: params.chatId, thread_root_id: thread, text: params.text, updated_at: at });
      await transact(async (uow) => {
        const repo = draftsRepo(uow.db);
        if (params.text === '') await repo.remove(actor.userId, params.chatId, thread);
        else await repo.save(actor.userId, params.chatId, thread, params.text, at);
        await uow.emit({ name: 'draft.updated', userId: actor.userId, data: draft });
      });
      return draft;
    },
  };
}
