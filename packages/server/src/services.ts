/**
 * Builds every service once, wired to storage, the event log and the bus. Services
 * know nothing of HTTP or sockets; routes and socket commands both call them.
 */
import type { Redis } from 'ioredis';
import { createRateLimits } from './access/rate-limits.js';
import type { Config } from './config.js';
import { createFileStorage } from './files/index.js';
import type { Metrics } from './metrics.js';
import { createAdminService } from './modules/admin/admin.service.js';
import { createAdmission } from './modules/admin/admission.js';
import { createRetention } from './modules/admin/retention.js';
import { createServerSettings } from './modules/admin/server-settings.js';
import { createAttachmentsService } from './modules/attachments/attachments.service.js';
import { createAvatarsService } from './modules/attachments/avatars.service.js';
import { createAuthService } from './modules/auth/auth.service.js';
import { createLoginThrottle } from './modules/auth/login-throttle.js';
import { createRegistrationLimit } from './modules/auth/registration-limit.js';
import { createSessionCache } from './modules/auth/session-cache.js';
import { createBotsService, createBotTokens } from './modules/bots/bots.service.js';
import { createChatOrganisationService } from './modules/chats/chat-organisation.service.js';
import { createChatsService } from './modules/chats/chats.service.js';
import { createContactsService } from './modules/contacts/contacts.service.js';
import { createCustomEmojiService } from './modules/custom-emoji/custom-emoji.service.js';
import { requireKnownCustomReactions } from './modules/custom-emoji/reaction-guard.js';
import { createDeliveryService } from './modules/delivery/delivery.service.js';
import { createDraftsService } from './modules/drafts/drafts.service.js';
import { createExportService } from './modules/export/export.service.js';
import { createJobQueue } from './modules/jobs/job-queue.js';
import type { PreviewNetwork } from './modules/link-previews/fetch-public.js';
import { createLinkPreviewsService, previewEditedMessages } from './modules/link-previews/link-previews.service.js';
import { createMessagesService } from './modules/messages/messages.service.js';
import { createPinnedMessagesService } from './modules/messages/pinned-messages.service.js';
import { createNotificationCentre } from './modules/notification-centre/notification-centre.service.js';
import { createPollsService } from './modules/polls/polls.service.js';
import { createScheduledService } from './modules/scheduled/scheduled.service.js';
import { createSearchService } from './modules/search/search.service.js';
import { createThreadsService } from './modules/threads/threads.service.js';
import { createUserGroupsService } from './modules/user-groups/user-groups.service.js';
import { createUsersService } from './modules/users/users.service.js';
import { createWebhooksService } from './modules/webhooks/webhooks.service.js';
import { createNotificationServices, notifyAboutMessages } from './notification-services.js';
import type { EventBus } from './realtime/bus.js';
import { createTransact } from './realtime/event-log.js';
import type { PresenceTracker } from './realtime/presence.js';
import type { Storage } from './storage/database.js';

export type Services = ReturnType<typeof createServices>;

/** Per-user budgets for sends, other changes, and read marks and typing (access/rate-limits.ts). */
const rateLimits = (config: Config, redis: Redis | undefined) =>
  createRateLimits(
    {
      send: { ratePerSecond: config.WS_SEND_RATE_PER_SECOND, burst: config.WS_SEND_BURST },
      action: { ratePerSecond: config.ACTION_RATE_PER_SECOND, burst: config.ACTION_BURST },
      readTyping: { ratePerSecond: config.READ_TYPING_RATE_PER_SECOND, burst: config.READ_TYPING_BURST },
    },
    redis,
  );

export function createServices(
  config: Config,
  storage: Storage,
  bus: EventBus,
  presence: PresenceTracker,
  redis: Redis | undefined,
  metrics?: Pick<Metrics, 'sendLatency' | 'jobs'>,
  /** Tests only (ServerOptions): where link previews may connect besides public addresses. */
  testing: { linkPreviewNetwork?: PreviewNetwork } = {},
) {
  const transact = createTransact(storage.db, bus, { groupCommit: storage.dialect === 'sqlite' });
  const throttle = createLoginThrottle({
    accountMaxFailures: config.LOGIN_ACCOUNT_MAX_FAILURES,
    accountIpMaxFailures: config.LOGIN_ACCOUNT_IP_MAX_FAILURES,
    ipMaxFailures: config.LOGIN_IP_MAX_FAILURES,
    windowSeconds: config.LOGIN_THROTTLE_WINDOW_SECONDS,
    ...(redis && { redis }),
  });
  const limits = rateLimits(config, redis);
  // Durable background work; modules register their job kinds below, server.ts starts it.
  const jobs = createJobQueue(storage.db, {
    concurrency: config.JOBS_CONCURRENCY,
    pollMs: config.JOBS_POLL_MS,
    leaseMs: config.JOBS_LEASE_MS,
    retryBaseMs: config.JOBS_RETRY_BASE_MS,
    maxAttempts: config.JOBS_MAX_ATTEMPTS,
    ...(metrics && { observer: metrics.jobs }),
  });
  // Files (issue 11): bytes on disk or S3; thumbnails and reclaiming as jobs.
  const fileStorage = createFileStorage(config);
  const attachments = createAttachmentsService(storage.db, fileStorage, jobs, {
    maxUploadBytes: config.UPLOAD_MAX_BYTES,
    // Called at upload time, after serverSettings below exists.
    currentUploadLimit: () => serverSettings.uploadMaxBytes(),
    quotaBytes: config.UPLOAD_QUOTA_BYTES,
    reclaimGraceMs: config.FILE_RECLAIM_GRACE_HOURS * 3_600_000,
    abandonedAfterMs: config.UPLOAD_ABANDONED_HOURS * 3_600_000,
    dataDir: config.DATA_DIR,
  });
  attachments.registerJobs();
  const avatars = createAvatarsService(storage.db, transact, jobs, limits, config.FILE_RECLAIM_GRACE_HOURS * 3_600_000);
  const users = createUsersService(storage, transact, limits, (event) => bus.publish(event));
  const delivery = createDeliveryService(storage.db, transact, limits);
  // People (issue 13): the notification centre first, as chats and messages add to it.
  const notificationCentre = createNotificationCentre(storage.db, transact, limits, (userId) => presence.isOnline(userId));
  const contacts = createContactsService(storage.db, transact, limits, notificationCentre, presence);
  const chats = createChatsService(storage.db, transact, presence, limits, notificationCentre);
  const messages = createMessagesService(storage.db, transact, limits, (event) => bus.publish(event), notificationCentre, attachments);
  // A profile change, made on any instance, reaches every instance's bus: history pages
  // showing the person are read again (modules/messages/history-cache.ts).
  bus.subscribe(
    (message) => {
      const userId = (message.kind !== 'control' && (message.data as { user?: { id?: unknown } }).user?.id) || null;
      if (typeof userId === 'string') messages.personChanged(userId);
    },
    (route) => route.name === 'user.updated',
  );
  const chatOrganisation = createChatOrganisationService(storage.db, transact, limits);
  const pinnedMessages = createPinnedMessagesService(storage.db, transact, limits);
  // Team conversations (issue 16).
  const drafts = createDraftsService(storage.db, transact, limits);
  const polls = createPollsService(storage.db, transact, limits, jobs);
  polls.registerJobs();
  const scheduled = createScheduledService(storage.db, transact, limits, jobs, messages, notificationCentre);
  scheduled.registerJobs();
  const userGroups = createUserGroupsService(storage.db, limits);
  const threads = createThreadsService(storage.db, transact, limits);
  if (metrics) {
    // From the request to the ack (REST and socket alike), retries and refusals included.
    const send = messages.send.bind(messages);
    messages.send = async (actor, params, order) => {
      const stop = metrics.sendLatency.startTimer();
      try {
        return await send(actor, params, order);
      } finally {
        stop();
      }
    };
  }
  const sessionsEnded = (userId: string, sessionIds: string[]) =>
    bus.publish({ kind: 'control', type: 'sessions.ended', userId, sessionIds });
  // Notifications and email (issue 14): mail, verification and reset, settings, Web Push, missed-message emails.
  const notify = createNotificationServices({ config, storage, transact, jobs, presence, redis, people: contacts, sessionsEnded });
  notifyAboutMessages(messages, notify.push, threads);
  // Running a server (issue 15): stored settings, sign-up admission, the admin console.
  const serverSettings = createServerSettings(storage.db, config);
  const auth = createAuthService(
    storage,
    throttle,
    {
      sessionsEnded,
      accountDeleted: (userId) => chats.leaveAllChats(userId),
      accountCreated: (user, client) => notify.accountCreated(user, client),
    },
    {
      sessionTtlDays: config.SESSION_TTL_DAYS,
      requireEmailVerification: config.REQUIRE_EMAIL_VERIFICATION,
      admission: createAdmission(storage.db, serverSettings),
      botTokens: createBotTokens(storage.db),
      registrationLimit: createRegistrationLimit({
        maxAccounts: config.REGISTER_IP_MAX_ACCOUNTS,
        windowSeconds: config.REGISTER_WINDOW_SECONDS,
        ...(redis && { redis }),
      }),
      ...(storage.dialect === 'sqlite' && { sessionCache: createSessionCache() }),
    },
  );
  // However a session ends, on any instance, it is refused from the next request on.
  bus.subscribe(
    (message) => {
      if (message.kind === 'control') auth.sessionsEnded(message.sessionIds);
    },
    (route) => route.name === 'sessions.ended',
  );
  const search = createSearchService(storage.db);
  const admin = createAdminService(storage.db, serverSettings, {
    accounts: { endSessions: (userId) => auth.endAllSessions(userId), erase: (userId) => auth.eraseAccount(userId) },
    moderation: { ...chats.moderation, deleteMessage: (chatId, messageId, byId) => messages.removeByModerator(chatId, messageId, byId) },
  });
  const retention = createRetention(storage.db, serverSettings, jobs, (chatId, messageId) =>
    messages.removeByModerator(chatId, messageId, null),
  );
  // The first sweep is queued as the server starts; a failure here only delays it to the next start.
  retention.registerJobs(() => undefined);
  // Bots and webhooks (issue 15, J8).
  const bots = createBotsService(storage.db, {
    sessionsEnded,
    addBot: (chat, botId, byId) => chats.moderation.addBot(chat, botId, byId),
    leaveChat: (actor, chatId) => chats.leaveChat(actor, chatId),
    eraseAccount: (userId) => auth.eraseAccount(userId),
  });
  const webhooks = createWebhooksService(storage.db, { bots, messages, jobs, allowPrivateTargets: config.WEBHOOK_ALLOW_PRIVATE_TARGETS });
  webhooks.registerJobs();
  const exports = createExportService(storage.db, {
    jobs,
    files: fileStorage,
    dataDir: config.DATA_DIR,
    linkTtlHours: config.EXPORT_LINK_TTL_HOURS,
  });
  exports.registerJobs();
  // Outgoing webhooks hear of every stored message, sent over REST or a socket.
  messages.whenSent((message) => webhooks.messageSent(message));
  // Link previews (E18) and custom emoji (E19).
  const linkPreviews = createLinkPreviewsService(
    { db: storage.db, transact, jobs, files: fileStorage, limits, enabled: () => serverSettings.linkPreviews() },
    {
      timeoutMs: config.LINK_PREVIEW_TIMEOUT_MS,
      maxBytes: config.LINK_PREVIEW_MAX_BYTES,
      cacheMs: config.LINK_PREVIEW_CACHE_HOURS * 3_600_000,
      ...(testing.linkPreviewNetwork && { network: testing.linkPreviewNetwork }),
    },
  );
  linkPreviews.registerJobs();
  messages.whenSent((message) => linkPreviews.messageSent(message));
  previewEditedMessages(messages, linkPreviews);
  const customEmoji = createCustomEmojiService({
    db: storage.db,
    files: fileStorage,
    attachments,
    limits,
    uploads: () => serverSettings.customEmojiUploads(),
    publish: (event) => bus.publish(event),
  });
  requireKnownCustomReactions(storage.db, messages, customEmoji);
  return {
    auth,
    users,
    chats,
    messages,
    delivery,
    jobs,
    attachments,
    avatars,
    fileStorage,
    contacts,
    notificationCentre,
    chatOrganisation,
    pinnedMessages,
    drafts,
    polls,
    scheduled,
    userGroups,
    threads,
    search,
    notify,
    admin,
    serverSettings,
    retention,
    bots,
    webhooks,
    exports,
    linkPreviews,
    customEmoji,
    transact,
  };
}
