/**
 * The audit log (J6): every admin action — who, what, to what, when, from where. Written by
 * the admin service and the admin CLI; read in the console.
 */
import type { Kysely } from 'kysely';
import { now } from '../../clock.js';
import { newId } from '../../ids.js';
import type { Database } from '../../storage/schema.js';
import { adminRepo } from './admin.repo.js';

/** Who acted: a signed-in admin or moderator, or the command line (no account). */
export interface AuditActor {
  userId: string | null;
  username: string;
  /** The client address, or `cli`. */
  ip: string;
}

export const CLI_ACTOR: AuditActor = { userId: null, username: 'cli', ip: 'cli' };

export interface AuditRecord {
  action: string;
  targetType: 'user' | 'room' | 'settings' | 'invite' | 'message' | 'server';
  targetId?: string | null;
  details?: Record<string, unknown>;
}

/**
 * The log is read newest first by time; ids are random, so two actions of one request
 * (archive and retention in one change) get distinct, increasing times from this process.
 */
let lastAt = 0;
const nextAt = () => {
  lastAt = Math.max(now(), lastAt + 1);
  return lastAt;
};

export async function recordAudit(db: Kysely<Database>, actor: AuditActor, record: AuditRecord): Promise<void> {
  await adminRepo(db).insertAudit({
    id: newId(),
    at: nextAt(),
    actor_id: actor.userId,
    actor_name: actor.username,
    action: record.action,
    target_type: record.targetType,
    target_id: record.targetId ?? null,
    details: JSON.stringify(record.details ?? {}),
    ip: actor.ip,
  });
}
