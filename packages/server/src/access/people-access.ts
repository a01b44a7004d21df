/**
 * Every rule about what one person may do to or see of another: start a direct chat, add
 * them to a group, send them a contact request, see their presence and last seen. Each
 * rule is a small function, one condition a line, over the facts between two people —
 * each one's own filing of the other (contact, block) and their privacy settings.
 * Refusals caused by a block answer exactly like those caused by privacy, so a blocked
 * person cannot tell they were blocked.
 */
import type { Kysely } from 'kysely';
import { AppError } from '../errors.js';
import { contactsRepo, DEFAULT_PRIVACY, type PrivacyRow, type RelationshipRow } from '../modules/contacts/contacts.repo.js';
import { presenceRepo } from '../realtime/presence.repo.js';
import type { Database } from '../storage/schema.js';

type Privacy = Omit<PrivacyRow, 'user_id' | 'updated_at'>;

/** What stands between `viewer` and `other`, from both sides. */
export interface Between {
  /** How the viewer files the other. */
  mine: RelationshipRow | undefined;
  /** How the other files the viewer. */
  theirs: RelationshipRow | undefined;
  viewerPrivacy: Privacy;
  otherPrivacy: Privacy;
}

/** The facts between `viewerId` and each of `otherIds`, in three queries however many. */
export async function betweenMany(db: Kysely<Database>, viewerId: string, otherIds: string[]): Promise<Map<string, Between>> {
  const others = [...new Set(otherIds)].filter((id) => id !== viewerId);
  const repo = contactsRepo(db);
  const [rows, privacy] = await Promise.all([repo.relationshipsBetween(viewerId, others), repo.privacyOf([viewerId, ...others])]);
  const privacyOf = (id: string): Privacy => privacy.find((p) => p.user_id === id) ?? DEFAULT_PRIVACY;
  const result = new Map<string, Between>();
  for (const other of others) {
    result.set(other, {
      mine: rows.find((r) => r.owner_id === viewerId && r.other_id === other),
      theirs: rows.find((r) => r.owner_id === other && r.other_id === viewerId),
      viewerPrivacy: privacyOf(viewerId),
      otherPrivacy: privacyOf(other),
    });
  }
  return result;
}

export async function between(db: Kysely<Database>, viewerId: string, otherId: string): Promise<Between> {
  const facts = (await betweenMany(db, viewerId, [otherId])).get(otherId);
  if (!facts) throw new Error('between: a person and themself');
  return facts;
}

const isContactOf = (row: RelationshipRow | undefined) => row?.contact === 1;
const hasBlocked = (row: RelationshipRow | undefined) => row?.blocked === 1;

function allows(audience: 'everyone' | 'contacts' | 'nobody', contact: boolean): boolean {
  if (audience === 'everyone') return true;
  if (audience === 'contacts') return contact;
  return false;
}

/** The viewer may start a direct chat with the other (an existing one is not started). */
export function mayStartDirect(b: Between): boolean {
  if (hasBlocked(b.theirs)) return false;
  return allows(b.otherPrivacy.direct_messages, isContactOf(b.theirs));
}

/** The viewer may send in the direct chat they already share with the other. */
export function maySendDirect(b: Between): boolean {
  return !hasBlocked(b.theirs);
}

/** The viewer may add the other to a group or room. */
export function mayAddToGroup(b: Between): boolean {
  if (hasBlocked(b.theirs)) return false;
  return allows(b.otherPrivacy.group_invites, isContactOf(b.theirs));
}

/** The other hears of the viewer's contact request (otherwise it stays with the sender alone). */
export function requestReaches(b: Between): boolean {
  return !hasBlocked(b.theirs);
}

/**
 * The viewer may see the other's presence and last seen: the other's setting allows the
 * viewer, and — reciprocal, like Telegram — the viewer's own setting would allow the other.
 */
export function maySeePresence(b: Between): boolean {
  if (hasBlocked(b.theirs)) return false;
  if (!allows(b.otherPrivacy.last_seen, isContactOf(b.theirs))) return false;
  return allows(b.viewerPrivacy.last_seen, isContactOf(b.mine));
}

/** Of `userIds`, those whose presence and last seen `viewerId` may see (themself included). */
export async function presenceVisibleTo(db: Kysely<Database>, viewerId: string, userIds: string[]): Promise<Set<string>> {
  const facts = await betweenMany(db, viewerId, userIds);
  const visible = new Set<string>(userIds.includes(viewerId) ? [viewerId] : []);
  for (const [id, b] of facts) if (maySeePresence(b)) visible.add(id);
  return visible;
}

/** Of `peerIds`, those who may see `userId`'s presence: the audience of their presence events. */
export async function presenceAudience(db: Kysely<Database>, userId: string, peerIds: string[]): Promise<string[]> {
  const facts = await betweenMany(db, userId, peerIds);
  // Seen from each peer: the peer is the viewer, so the sides swap.
  return peerIds.filter((peer) => {
    if (peer === userId) return true;
    const b = facts.get(peer);
    return (
      b !== undefined && maySeePresence({ mine: b.theirs, theirs: b.mine, viewerPrivacy: b.otherPrivacy, otherPrivacy: b.viewerPrivacy })
    );
  });
}

export const privacyRestricted = (message: string, details?: Record<string, unknown>) =>
  new AppError('privacy_restricted', message, details);

/** Refuses adding people to a group when any of them does not accept it from the actor. */
export async function assertMayAddToGroup(db: Kysely<Database>, actorId: string, userIds: string[]): Promise<void> {
  const facts = await betweenMany(db, actorId, userIds);
  const refused = [...facts].filter(([, b]) => !mayAddToGroup(b)).map(([id]) => id);
  if (refused.length > 0)
    throw privacyRestricted('Some of these people do not accept being added to groups by you', {
      location: 'body',
      field: 'userIds',
      rule: 'privacy',
      userIds: refused,
    });
}

/** Whether search may find someone by this exact email: nobody has it, or its owner does not hide it. */
export async function emailFindable(db: Kysely<Database>, email: string): Promise<boolean> {
  return !(await contactsRepo(db).emailHidden(email));
}

/** Who hears a person's profile changes live: those who share a chat of presence size with them, and their contacts. */
export async function profileAudience(db: Kysely<Database>, userId: string): Promise<string[]> {
  const [peers, contacts] = await Promise.all([presenceRepo(db).peersOf(userId), contactsRepo(db).contactIdsOf(userId)]);
  return [...new Set([...peers, ...contacts])].filter((id) => id !== userId);
}
