/**
 * Organising one's chat list (D8): pinned chats in an order of one's own, and archived
 * chats. Personal, like mute: only the member's own devices hear of it (`chat.organised`
 * on `u:<userId>`, carrying the whole organisation so every device converges). An archived
 * chat comes back when a new message arrives, unless it is muted.
 */
import type { ArchiveChatParams, ChatOrganisation, PinChatParams, PinOrderParams } from '@parley/protocol';
import type { Kysely } from 'kysely';
import type { Actor } from '../../access/actor.js';
import { requireMember } from '../../access/chat-access.js';
import type { RateLimits } from '../../access/rate-limits.js';
import { AppError } from '../../errors.js';
import type { Transact, UnitOfWork } from '../../realtime/event-log.js';
import type { Database } from '../../storage/schema.js';
import { chatOrganisationRepo } from './chat-organisation.repo.js';

/** More pinned chats than this stop being a short list at the top. */
export const MAX_PINNED_CHATS = 50;

export type ChatOrganisationService = ReturnType<typeof createChatOrganisationService>;

export function createChatOrganisationService(db: Kysely<Database>, transact: Transact, limits: RateLimits) {
  const read = async (q: Kysely<Database>, userId: string): Promise<ChatOrganisation> => {
    const repo = chatOrganisationRepo(q);
    const [pinned, archived] = await Promise.all([repo.pinned(userId), repo.archived(userId)]);
    return { pinned, archived };
  };

  async function emitOrganisation(uow: UnitOfWork, userId: string): Promise<ChatOrganisation> {
    const organisation = await read(uow.db, userId);
    await uow.emit({ name: 'chat.organised', userId, data: organisation });
    return organisation;
  }

  return {
    organisation: (actor: Actor) => read(db, actor.userId),

    /** A newly pinned chat goes to the top. */
    async pin(actor: Actor, params: PinChatParams): Promise<ChatOrganisation> {
      const { member } = await requireMember(db, actor, params.chatId);
      await limits.consume('action', actor.userId);
      return transact(async (uow) => {
        const repo = chatOrganisationRepo(uow.db);
        if (params.pinned && member.pin_order === null) {
          if ((await repo.pinned(actor.userId)).length >= MAX_PINNED_CHATS)
            throw new AppError('conflict', `At most ${MAX_PINNED_CHATS} chats can be pinned`);
          const top = await repo.topPinOrder(actor.userId);
          await repo.setPinOrder(params.chatId, actor.userId, top === null ? 0 : top - 1);
        }
        if (!params.pinned) await repo.setPinOrder(params.chatId, actor.userId, null);
        return emitOrganisation(uow, actor.userId);
      });
    },

    /** `chatIds`: every pinned chat, in the new order. */
    async reorder(actor: Actor, params: PinOrderParams): Promise<ChatOrganisation> {
      await limits.consume('action', actor.userId);
      return transact(async (uow) => {
        const repo = chatOrganisationRepo(uow.db);
        const pinned = await repo.pinned(actor.userId);
        const same = pinned.length === params.chatIds.length && params.chatIds.every((id) => pinned.includes(id));
        if (!same)
          throw new AppError('validation_failed', 'chatIds must list exactly your pinned chats', {
            location: 'body',
            field: 'chatIds',
            rule: 'pinned',
          });
        for (const [index, chatId] of params.chatIds.entries()) await repo.setPinOrder(chatId, actor.userId, index);
        return emitOrganisation(uow, actor.userId);
      });
    },

    /** Archiving unpins: an archived chat leaves the main list. */
    async archive(actor: Actor, params: ArchiveChatParams): Promise<ChatOrganisation> {
      const { chat } = await requireMember(db, actor, params.chatId);
      await limits.consume('action', actor.userId);
      return transact(async (uow) => {
        const repo = chatOrganisationRepo(uow.db);
        await repo.setArchivedSeq(params.chatId, actor.userId, params.archived ? Number(chat.last_seq) : null);
        if (params.archived) await repo.setPinOrder(params.chatId, actor.userId, null);
        return emitOrganisation(uow, actor.userId);
      });
    },
  };
}
