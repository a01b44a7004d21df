/**
 * Server settings the admin changes at run time (J6), stored in `server_settings` and read
 * by the modules they govern: who may sign up, whether email must be verified, the upload
 * limit and message retention. Environment keys stay the floor and ceiling: the setting can
 * require email verification that REQUIRE_EMAIL_VERIFICATION does not, but not lift it,
 * and can lower the upload limit below UPLOAD_MAX_BYTES, never raise it.
 */
import type { CustomEmojiUploads, ServerSettings, SignUpMode, UpdateServerSettingsBody } from '@parley/protocol';
import type { Kysely } from 'kysely';
import type { Config } from '../../config.js';
import type { Database } from '../../storage/schema.js';
import { adminRepo } from './admin.repo.js';

interface Stored {
  signUp: SignUpMode;
  requireEmailVerification: boolean;
  uploadMaxBytes: number | null;
  retentionDays: number | null;
  linkPreviews: boolean;
  customEmojiUploads: CustomEmojiUploads;
}

const DEFAULTS: Stored = {
  signUp: 'open',
  requireEmailVerification: false,
  uploadMaxBytes: null,
  retentionDays: null,
  linkPreviews: true,
  customEmojiUploads: 'admins',
};

export type ServerSettingsStore = ReturnType<typeof createServerSettings>;

export function createServerSettings(db: Kysely<Database>, config: Pick<Config, 'REQUIRE_EMAIL_VERIFICATION' | 'UPLOAD_MAX_BYTES'>) {
  const repo = adminRepo(db);

  async function stored(): Promise<Stored> {
    const values: Record<string, unknown> = {};
    for (const row of await repo.settings()) values[row.key] = JSON.parse(row.value);
    return { ...DEFAULTS, ...(values as Partial<Stored>) };
  }

  const present = (s: Stored): ServerSettings => ({
    signUp: s.signUp,
    requireEmailVerification: s.requireEmailVerification || config.REQUIRE_EMAIL_VERIFICATION,
    requireEmailVerificationByConfig: config.REQUIRE_EMAIL_VERIFICATION,
    uploadMaxBytes: s.uploadMaxBytes === null ? null : Math.min(s.uploadMaxBytes, config.UPLOAD_MAX_BYTES),
    uploadMaxBytesByConfig: config.UPLOAD_MAX_BYTES,
    retentionDays: s.retentionDays,
    linkPreviews: s.linkPreviews,
    customEmojiUploads: s.customEmojiUploads,
  });

  return {
    get: async (): Promise<ServerSettings> => present(await stored()),

    /** The stored values changed by `body`; returns the settings after the change. */
    async update(body: UpdateServerSettingsBody, at: number): Promise<ServerSettings> {
      for (const [key, value] of Object.entries(body)) await repo.putSetting(key, value, at);
      return present(await stored());
    },

    /** For sign-up: open, invite-only or closed. */
    signUpMode: async () => (await stored()).signUp,
    /** For auth (issue 14's REQUIRE_EMAIL_VERIFICATION or this setting). */
    requireEmailVerification: async () => config.REQUIRE_EMAIL_VERIFICATION || (await stored()).requireEmailVerification,
    /** For uploads: the stored limit, never above UPLOAD_MAX_BYTES. */
    uploadMaxBytes: async () => {
      const limit = (await stored()).uploadMaxBytes;
      return limit === null ? config.UPLOAD_MAX_BYTES : Math.min(limit, config.UPLOAD_MAX_BYTES);
    },
    retentionDays: async () => (await stored()).retentionDays,
    /** For link previews (E18): whether new messages get one. */
    linkPreviews: async () => (await stored()).linkPreviews,
    /** For custom emoji (E19): who may add them. */
    customEmojiUploads: async () => (await stored()).customEmojiUploads,
  };
}
