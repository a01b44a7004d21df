/**
 * Every migration, in order. Listed here rather than read from disk so the same list
 * works from TypeScript sources (tests) and compiled output (production).
 */
import type { Migration } from 'kysely';
import * as accounts from './0001-accounts.js';
import * as chats from './0002-chats.js';
import * as streams from './0003-streams.js';
import * as jobs from './0004-jobs.js';
import * as search from './0005-search.js';
import * as attachments from './0006-attachments.js';
import * as people from './0007-people.js';
import * as notifications from './0008-notifications.js';
import * as delivery from './0009-delivery.js';
import * as admin from './0010-admin.js';
import * as conversations from './0011-conversations.js';
import * as polls from './0011-conversations-polls.js';
import * as scheduled from './0011-conversations-scheduled.js';
import * as userGroups from './0011-conversations-user-groups.js';
import * as threads from './0012-threads.js';
import * as customEmoji from './0013-custom-emoji.js';
import * as linkPreviews from './0013-link-previews.js';
import * as uploadCleanup from './0015-upload-cleanup.js';
import * as uploadParts from './0015-upload-parts.js';
import * as searchDocColumn from './0016-search-doc-column.js';
import * as threadPushes from './0017-thread-pushes.js';
import * as searchTimeOrder from './0018-search-time-order.js';

export const MIGRATIONS: Record<string, Migration> = {
  '0001-accounts': accounts,
  '0002-chats': chats,
  '0003-streams': streams,
  '0004-jobs': jobs,
  '0005-search': search,
  '0006-attachments': attachments,
  '0007-people': people,
  '0008-notifications': notifications,
  '0009-delivery': delivery,
  '0010-admin': admin,
  '0011-conversations': conversations,
  '0011-conversations-polls': polls,
  '0011-conversations-scheduled': scheduled,
  '0011-conversations-user-groups': userGroups,
  '0012-threads': threads,
  '0013-custom-emoji': customEmoji,
  '0013-link-previews': linkPreviews,
  '0015-upload-cleanup': uploadCleanup,
  '0015-upload-parts': uploadParts,
  '0016-search-doc-column': searchDocColumn,
  '0017-thread-pushes': threadPushes,
  '0018-search-time-order': searchTimeOrder,
};
