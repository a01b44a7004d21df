/**
 * Avatars of people and groups (D2): an uploaded image of yours (purpose `avatar`, cropped
 * to squares by the thumbnail job) becomes your photo or a group's. Everyone sharing a
 * chat with you sees the change live: `user.updated` goes to your own stream and to each of
 * your chats' streams (a group's photo is `chat.updated`). The photo it replaces is
 * released and reclaimed like a deleted message's file.
 */
import type { PublicUser, SetAvatarBody } from '@parley/protocol';
import type { Kysely } from 'kysely';
import type { Actor } from '../../access/actor.js';
import { assertCanEditChat, requireMember } from '../../access/chat-access.js';
import type { RateLimits } from '../../access/rate-limits.js';
import { now } from '../../clock.js';
import { AppError, notFound } from '../../errors.js';
import type { Transact } from '../../realtime/event-log.js';
import type { Database } from '../../storage/schema.js';
import { presentChatCore } from '../chats/chats.present.js';
import { chatsRepo } from '../chats/chats.repo.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { presentUser } from '../users/users.present.js';
import { usersRepo } from '../users/users.repo.js';
import { attachmentsRepo } from './attachments.repo.js';

export type AvatarsService = ReturnType<typeof createAvatarsService>;

export function createAvatarsService(db: Kysely<Database>, transact: Transact, jobs: JobQueue, limits: RateLimits, reclaimGraceMs: number) {
  const repo = attachmentsRepo(db);

  /** The actor's own finished avatar upload, its squares made. */
  async function avatarFile(actor: Actor, fileId: string) {
    const file = await repo.findFile(fileId);
    if (!file || file.owner_id !== actor.userId || file.purpose !== 'avatar' || file.state !== 'ready')
      throw notFound('file_not_found', 'Avatar');
    if (file.thumbnails === 'pending') throw new AppError('file_not_ready', 'The photo is still being prepared; try again shortly');
    if (file.thumbnails !== 'ready')
      throw new AppError('validation_failed', 'The photo could not be read as an image', {
        location: 'body',
        field: 'fileId',
        rule: 'image',
      });
    return file;
  }

  /** Inside the change's transaction: the replaced photo goes after the grace period (unless someone still shows it). */
  async function releaseOld(tx: Kysely<Database>, oldId: string | null, newId: string | null) {
    if (!oldId || oldId === newId) return;
    // The same photo may also be a group's: it stays while anyone shows it.
    if (await attachmentsRepo(tx).isAvatar(oldId)) return;
    await attachmentsRepo(tx).updateFile(oldId, { state: 'released', released_at: now() });
    await jobs.enqueue('attachments.reclaim', { fileId: oldId }, { db: tx, runAt: now() + reclaimGraceMs, uniqueKey: `reclaim:${oldId}` });
  }

  return {
    async setMyAvatar(actor: Actor, { fileId }: SetAvatarBody): Promise<PublicUser> {
      if (fileId) await avatarFile(actor, fileId);
      await limits.consume('action', actor.userId);
      const user = await transact(async (uow) => {
        const users = usersRepo(uow.db);
        const before = await users.findById(actor.userId);
        if (!before || before.deleted_at !== null) throw notFound('user_not_found', 'User');
        await attachmentsRepo(uow.db).setUserAvatar(actor.userId, fileId);
        await releaseOld(uow.db, before.avatar_id, fileId);
        const row = { ...before, avatar_id: fileId };
        await uow.emit({ name: 'user.updated', userId: row.id, data: { user: presentUser(row, { seesLastSeen: true }) } });
        // Others see profiles through the chats they share: each chat hears of the new photo.
        const shown = presentUser(row, { seesLastSeen: false });
        for (const chatId of await chatsRepo(uow.db).chatIdsOf(actor.userId)) {
          await uow.emit({ name: 'user.updated', chatId, data: { user: shown } });
        }
        return shown;
      });
      return user;
    },

    async setChatAvatar(actor: Actor, chatId: string, { fileId }: SetAvatarBody): Promise<{ id: string; avatarId: string | null }> {
      const access = await requireMember(db, actor, chatId);
      assertCanEditChat(access);
      if (fileId) await avatarFile(actor, fileId);
      await limits.consume('action', actor.userId);
      await transact(async (uow) => {
        await attachmentsRepo(uow.db).setChatAvatar(chatId, fileId);
        await releaseOld(uow.db, access.chat.avatar_id, fileId);
        const updated = { ...access.chat, avatar_id: fileId };
        await uow.emit({
          name: 'chat.updated',
          chatId,
          data: { chat: presentChatCore(updated, await chatsRepo(uow.db).activitySeenByAll(updated)), by: actor.userId },
        });
      });
      return { id: chatId, avatarId: fileId };
    },
  };
}
