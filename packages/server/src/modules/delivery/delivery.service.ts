/**
 * Delivery state (E10): "delivered" means at least one of the recipient's devices has the
 * message. The SDK confirms what arrives over the socket (`delivered.mark`, at most a few a
 * second per chat); the position only moves forward, and each move is one stored
 * `delivered.updated` event in the chat's stream, as `read.updated` is for reading.
 *
 * Cheap by design: a position at or below the member's read position (read implies
 * delivered) or their current delivered position costs one read and no write; rooms,
 * where hundreds of members would each confirm every message, store nothing.
 */
import type { DeliveredState, MarkDeliveredParams } from '@parley/protocol';
import type { Kysely } from 'kysely';
import type { Actor } from '../../access/actor.js';
import { requireMember } from '../../access/chat-access.js';
import type { RateLimits } from '../../access/rate-limits.js';
import type { Transact } from '../../realtime/event-log.js';
import type { Database } from '../../storage/schema.js';
import { deliveryRepo } from './delivery.repo.js';

export type DeliveryService = ReturnType<typeof createDeliveryService>;

export function createDeliveryService(db: Kysely<Database>, transact: Transact, limits: RateLimits) {
  const delivery = deliveryRepo(db);
  return {
    async markDelivered(actor: Actor, params: MarkDeliveredParams): Promise<DeliveredState> {
      const { chat, member } = await requireMember(db, actor, params.chatId);
      await limits.consume('readTyping', actor.userId);
      const target = Math.min(params.seq, Number(chat.last_seq));
      const read = Number(member.last_read_seq);
      if (chat.kind === 'room' || target <= read) return { chatId: chat.id, deliveredSeq: Math.max(read, target) };
      const current = await delivery.position(chat.id, actor.userId);
      if (target <= current) return { chatId: chat.id, deliveredSeq: current };
      await transact(async (uow) => {
        if (!(await deliveryRepo(uow.db).advance(chat.id, actor.userId, target))) return;
        await uow.emit({
          name: 'delivered.updated',
          chatId: chat.id,
          data: { chatId: chat.id, userId: actor.userId, deliveredSeq: target },
        });
      });
      return { chatId: chat.id, deliveredSeq: target };
    },
  };
}
