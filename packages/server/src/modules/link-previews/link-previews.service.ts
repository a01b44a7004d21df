/**
 * Link previews (E18). After a message with a link is stored (messages.whenSent), its
 * first link is recorded and a `linkPreview.fetch` job queued, in one transaction. The job
 * takes the URL's cached preview while it is fresh (LINK_PREVIEW_CACHE_HOURS) or fetches
 * the page through the SSRF guard (fetch-public.ts), stores the image through the file
 * storage port — clients only ever load it from us — and emits one `message.preview` to
 * the chat. The sender may remove it (the same event with `preview: null`); an admin can
 * turn previews off for the server (no page is fetched then).
 */
import { createHash } from 'node:crypto';
import type { LinkPreview, Message, RemovePreviewParams } from '@parley/protocol';
import type { Kysely } from 'kysely';
import type { Actor } from '../../access/actor.js';
import { type MessageRow, requireVisibleMessage } from '../../access/chat-access.js';
import { assertCanRemovePreview } from '../../access/preview-access.js';
import type { RateLimits } from '../../access/rate-limits.js';
import { now } from '../../clock.js';
import { notFound } from '../../errors.js';
import type { FileStorage } from '../../files/index.js';
import { newId } from '../../ids.js';
import type { Transact, UnitOfWork } from '../../realtime/event-log.js';
import type { Database } from '../../storage/schema.js';
import type { ServedFile } from '../attachments/attachments.service.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { messagesRepo } from '../messages/messages.repo.js';
import type { MessagesService } from '../messages/messages.service.js';
import { fetchPreview } from './fetch-preview.js';
import { createPublicFetcher, FetchRefused, type PreviewNetwork } from './fetch-public.js';
import { firstLink } from './first-link.js';
import { presentPreview } from './link-previews.present.js';
import { type CachedPreviewRow, linkPreviewsRepo } from './link-previews.repo.js';

export const PREVIEW_JOB = 'linkPreview.fetch';
export const PREVIEW_CLEANUP_JOB = 'linkPreview.cleanup';
const DAY_MS = 86_400_000;
const CLEANUP_BATCH = 500;
/** A page that gave no preview is asked again sooner than one that did. */
const FAILED_CACHE_MS = 3_600_000;

export interface LinkPreviewOptions {
  timeoutMs: number;
  maxBytes: number;
  cacheMs: number;
  /** Tests only (ServerOptions.linkPreviewNetwork): loopback page servers and their own DNS answers. */
  network?: PreviewNetwork;
}

export interface LinkPreviewsDeps {
  db: Kysely<Database>;
  transact: Transact;
  jobs: JobQueue;
  files: FileStorage;
  limits: RateLimits;
  /** The admin's switch (server settings), read at each send with a link. */
  enabled: () => Promise<boolean>;
}

export type LinkPreviewsService = ReturnType<typeof createLinkPreviewsService>;

/** Edits (REST and socket alike) reach the previews: wrapped like the other hooks on the messages service. */
export function previewEditedMessages(messages: MessagesService, previews: Pick<LinkPreviewsService, 'messageEdited'>): void {
  const edit = messages.edit.bind(messages);
  messages.edit = async (actor, params) => {
    const message = await edit(actor, params);
    await previews.messageEdited(message);
    return message;
  };
}

const urlHash = (url: string) => createHash('sha256').update(url).digest('hex');
/** A new key per fetch: a fetch again after expiry never overwrites a picture someone may be loading. */
const previewImageKey = (hash: string) => `link-previews/${hash}-${newId()}.webp`;

const privateScope = (m: Pick<MessageRow, 'private_to' | 'sender_id'>): [string, string] | null =>
  m.private_to && m.sender_id ? [m.sender_id, m.private_to] : null;

export function createLinkPreviewsService(deps: LinkPreviewsDeps, options: LinkPreviewOptions) {
  const { db, transact, jobs, files } = deps;
  const repo = linkPreviewsRepo(db);
  const fetcher = createPublicFetcher(options.network);

  async function emitPreview(uow: UnitOfWork, message: MessageRow, preview: LinkPreview | null) {
    await uow.emit({
      name: 'message.preview',
      chatId: message.chat_id,
      privateTo: privateScope(message),
      data: { chatId: message.chat_id, messageId: message.id, preview },
    });
  }

  /** The URL's preview: the cached one while fresh, else fetched now and cached (a failure too, for less long). */
  async function previewOf(url: string, hash: string): Promise<CachedPreviewRow> {
    const cached = await repo.cached(hash);
    if (cached && cached.expires_at > now()) return cached;
    const at = now();
    let row: CachedPreviewRow;
    try {
      const fetched = await fetchPreview(fetcher, url, { timeoutMs: options.timeoutMs, maxBytes: options.maxBytes });
      const imageKey = fetched.image ? previewImageKey(hash) : null;
      if (fetched.image && imageKey) await files.put(imageKey, fetched.image.webp, 'image/webp');
      row = {
        url_hash: hash,
        url,
        status: 'ready',
        title: fetched.meta.title ?? fetched.host,
        description: fetched.meta.description,
        site_name: fetched.meta.siteName ?? fetched.host,
        image_key: imageKey,
        image_width: fetched.image?.width ?? null,
        image_height: fetched.image?.height ?? null,
        error: null,
        fetched_at: at,
        expires_at: at + options.cacheMs,
      };
    } catch (error) {
      // Refusals and dead links are answers, not failures of the job: cached, never retried.
      if (!(error instanceof FetchRefused)) throw error;
      row = {
        url_hash: hash,
        url,
        status: 'failed',
        title: null,
        description: null,
        site_name: null,
        image_key: null,
        image_width: null,
        image_height: null,
        error: `${error.reason}: ${error.message}`.slice(0, 500),
        fetched_at: at,
        expires_at: at + Math.min(FAILED_CACHE_MS, options.cacheMs),
      };
    }
    await repo.saveCached(row);
    // The picture of the fetch this one replaces.
    if (cached?.image_key && cached.image_key !== row.image_key) await files.delete(cached.image_key);
    return row;
  }

  const enqueueCleanup = (slot: number) =>
    jobs.enqueue(PREVIEW_CLEANUP_JOB, {}, { runAt: slot * DAY_MS, uniqueKey: `${PREVIEW_CLEANUP_JOB}:${slot}` });

  /** Daily: cached previews past their expiry that no shown preview uses go, pictures too; returns how many. */
  async function cleanup(at = now()): Promise<number> {
    await repo.dropForDeletedMessages();
    let dropped = 0;
    for (;;) {
      const rows = await repo.dropUnused(at, CLEANUP_BATCH);
      for (const row of rows) if (row.image_key) await files.delete(row.image_key);
      dropped += rows.length;
      if (rows.length < CLEANUP_BATCH) return dropped;
    }
  }

  return {
    /** After a message is stored: its first link gets a preview job (nothing when previews are off or there is no link). */
    async messageSent(message: Message): Promise<void> {
      if (message.kind !== 'text' || message.deletedAt !== null) return;
      const url = firstLink(message.text);
      if (!url || !(await deps.enabled())) return;
      await db.transaction().execute(async (trx) => {
        await linkPreviewsRepo(trx).insertForMessage({
          message_id: message.id,
          chat_id: message.chatId,
          url,
          url_hash: urlHash(url),
          removed_at: null,
        });
        await jobs.enqueue(PREVIEW_JOB, { messageId: message.id }, { db: trx, uniqueKey: `preview:${message.id}` });
      });
    },

    /**
     * After an edit: a new first link gets a new preview (the old one goes at once, for
     * everyone); the same link, or still none, changes nothing.
     */
    async messageEdited(message: Message): Promise<void> {
      if (message.kind !== 'text' || message.deletedAt !== null) return;
      const url = firstLink(message.text);
      const before = await repo.forMessage(message.id);
      if ((before?.url ?? null) === url) return;
      const fetchNew = url !== null && (await deps.enabled());
      await transact(async (uow) => {
        const tx = linkPreviewsRepo(uow.db);
        if (before) {
          await tx.removeForMessage(message.id);
          const row = before.removed_at === null ? await messagesRepo(uow.db).findById(message.id) : undefined;
          if (row) await emitPreview(uow, row, null);
        }
        if (!fetchNew || url === null) return;
        await tx.insertForMessage({ message_id: message.id, chat_id: message.chatId, url, url_hash: urlHash(url), removed_at: null });
        await jobs.enqueue(PREVIEW_JOB, { messageId: message.id }, { db: uow.db, uniqueKey: `preview:${message.id}` });
      });
    },

    /** The sender takes the preview off their message; everyone sees it go. */
    async removePreview(actor: Actor, params: RemovePreviewParams): Promise<void> {
      const { message } = await requireVisibleMessage(db, actor, params.chatId, params.messageId);
      assertCanRemovePreview(actor, message);
      const row = await repo.forMessage(message.id);
      if (!row || row.removed_at !== null || message.deleted_at !== null) throw notFound('preview_not_found', 'Preview');
      await deps.limits.consume('action', actor.userId);
      await transact(async (uow) => {
        const changed = await linkPreviewsRepo(uow.db).markRemoved(message.id, now());
        // Removed twice at once: the first one told everyone.
        if (Number(changed.numUpdatedRows) === 0) return;
        await emitPreview(uow, message, null);
      });
    },

    /** The stored preview image, for whoever may see the message. */
    async image(actor: Actor, chatId: string, messageId: string): Promise<ServedFile> {
      const { message } = await requireVisibleMessage(db, actor, chatId, messageId);
      const row = await repo.forMessage(message.id);
      const cached = row && row.removed_at === null && message.deleted_at === null ? await repo.cached(row.url_hash) : undefined;
      const body = cached?.status === 'ready' && cached.image_key ? await files.get(cached.image_key) : null;
      const stat = body && cached?.image_key ? await files.stat(cached.image_key) : null;
      if (!body || !stat) {
        body?.destroy();
        throw notFound('preview_not_found', 'Preview image');
      }
      return {
        body,
        status: 200,
        headers: {
          'content-type': 'image/webp',
          'content-length': String(stat.size),
          'content-disposition': 'inline; filename="preview.webp"',
          'content-security-policy': "sandbox; default-src 'none'",
          'x-content-type-options': 'nosniff',
          'cross-origin-resource-policy': 'same-origin',
          'cache-control': 'private, max-age=3600',
        },
      };
    },

    cleanup,

    /** `log`: where a failure to queue the first clean-up goes (it is queued again at the next start). */
    registerJobs(log: (error: unknown) => void = () => undefined) {
      jobs.handle(PREVIEW_CLEANUP_JOB, async () => {
        await cleanup();
        await enqueueCleanup(Math.floor(now() / DAY_MS) + 1);
      });
      enqueueCleanup(Math.floor(now() / DAY_MS)).catch(log);
      jobs.handle(
        PREVIEW_JOB,
        async (payload) => {
          const { messageId } = payload as { messageId: string };
          const row = await repo.forMessage(messageId);
          if (!row || row.removed_at !== null) return;
          const preview = await previewOf(row.url, row.url_hash);
          if (preview.status !== 'ready') return;
          await transact(async (uow) => {
            const message = await messagesRepo(uow.db).findById(messageId);
            const current = await linkPreviewsRepo(uow.db).forMessage(messageId);
            // Deleted or removed while the page was fetched: nobody is told of a preview.
            if (!message || message.deleted_at !== null || !current || current.removed_at !== null) return;
            await emitPreview(uow, message, presentPreview(row.url, preview));
          });
        },
        { maxAttempts: 3 },
      );
    },
  };
}
