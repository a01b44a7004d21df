/**
 * The admin console's actions (views/admin): the server's admin API through the app's one
 * client, and the invite link people follow to sign up on an invite-only server.
 */
import type { ServerRole } from '@parley/protocol';
import { parley } from '../api/client.js';

export const adminActions = parley.admin;

/** The sign-up page with the invite code filled in. */
export const inviteLink = (code: string, origin: string = window.location.origin) => `${origin}/signup?invite=${encodeURIComponent(code)}`;

/** The invite code a sign-up link carries, if any. */
export const inviteFromLocation = (search: string = window.location.search) => new URLSearchParams(search).get('invite') ?? undefined;

export const isStaff = (role: ServerRole | undefined) => role === 'admin' || role === 'moderator';

const ADMIN_TABS = ['users', 'rooms', 'settings', 'stats', 'audit'] as const;
export type AdminTab = (typeof ADMIN_TABS)[number];

/** Tabs a moderator may open; the server refuses the rest anyway. */
export const tabsFor = (role: ServerRole): readonly AdminTab[] => (role === 'admin' ? ADMIN_TABS : ['users', 'rooms']);
