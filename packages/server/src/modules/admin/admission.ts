/**
 * Who may sign up (J6): open, invite-only (a code from an invite link) or closed; the
 * first account of a fresh server becomes its admin (A8); and the stored "require email
 * verification" setting. Given to the auth service as its `admission`.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { now } from '../../clock.js';
import { AppError } from '../../errors.js';
import type { Database } from '../../storage/schema.js';
import type { Admission } from '../auth/auth.service.js';
import { adminRepo } from './admin.repo.js';
import type { ServerSettingsStore } from './server-settings.js';

export const hashCode = (code: string) => createHash('sha256').update(code).digest('hex');

export function createAdmission(db: Kysely<Database>, settings: ServerSettingsStore): Admission {
  const repo = adminRepo(db);
  return {
    async admit(invite) {
      const mode = await settings.signUpMode();
      if (mode === 'closed') throw new AppError('sign_up_closed', 'Sign-up is closed on this server; ask its admin for an account');
      if (mode === 'open') return async () => undefined;
      if (!invite) throw new AppError('invite_required', 'This server is invite-only: sign up through an invite link');
      const codeHash = hashCode(invite);
      if (!(await repo.useInvite(codeHash, now())))
        throw new AppError('invite_invalid', 'The invite is not valid: revoked, expired or used up');
      return () => repo.releaseInvite(codeHash).then(() => undefined);
    },
    accountCreated: (userId) => repo.promoteIfOnlyAccount(userId).then(() => undefined),
    requireEmailVerification: () => settings.requireEmailVerification(),
  };
}
