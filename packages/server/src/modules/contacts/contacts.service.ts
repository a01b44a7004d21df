/**
 * People (B2, B5, C2–C4): contact requests (none → sent / received → accepted / declined;
 * cancel; remove), each person's private alias, star and block, privacy settings,
 * profiles and away presence. Every change is one `transact`; each person concerned hears
 * it on their own stream (`u:<id>`, all their devices) as `contact.updated` carrying their
 * own view. Blocking tells the blocked person nothing: their requests then stay with them.
 */
import type {
  ContactRequestParams,
  PresenceStatus,
  PrivacySettings,
  Profile,
  Relationship,
  RelationshipList,
  SetPresenceParams,
  UpdateContactParams,
  UpdatePrivacyBody,
} from '@parley/protocol';
import type { Kysely } from 'kysely';
import type { Actor } from '../../access/actor.js';
import { between, mayStartDirect, presenceVisibleTo, requestReaches } from '../../access/people-access.js';
import type { RateLimits } from '../../access/rate-limits.js';
import { lastSeenVisibleTo } from '../../access/user-access.js';
import { now } from '../../clock.js';
import { AppError, notFound } from '../../errors.js';
import { newId } from '../../ids.js';
import type { Transact, UnitOfWork } from '../../realtime/event-log.js';
import type { Database } from '../../storage/schema.js';
import type { NotificationCentre } from '../notification-centre/notification-centre.service.js';
import { presentUser } from '../users/users.present.js';
import { type UserRow, usersRepo } from '../users/users.repo.js';
import { byStarThenName, presentRelationship } from './contacts.present.js';
import { type ContactRequestRow, contactsRepo, DEFAULT_PRIVACY, type PrivacyRow } from './contacts.repo.js';

export interface PeoplePresence {
  status(userId: string): PresenceStatus;
  setAway(userId: string, away: boolean, byHand?: boolean): Promise<void>;
}

export type ContactsService = ReturnType<typeof createContactsService>;

const presentPrivacy = (row: Omit<PrivacyRow, 'user_id' | 'updated_at'>): PrivacySettings => ({
  hideEmail: row.hide_email === 1,
  directMessages: row.direct_messages,
  groupInvites: row.group_invites,
  lastSeen: row.last_seen,
});

export function createContactsService(
  db: Kysely<Database>,
  transact: Transact,
  limits: RateLimits,
  centre: NotificationCentre,
  presence: PeoplePresence,
) {
  const spend = (actor: Actor) => limits.consume('action', actor.userId);
  const repo = contactsRepo(db);

  async function requireLiveUser(id: string): Promise<UserRow> {
    const row = await usersRepo(db).findById(id);
    if (!row || row.deleted_at !== null) throw notFound('user_not_found', 'User');
    return row;
  }

  async function requireOther(actor: Actor, userId: string): Promise<UserRow> {
    if (userId === actor.userId)
      throw new AppError('validation_failed', 'That is you', { location: 'body', field: 'userId', rule: 'self' });
    return requireLiveUser(userId);
  }

  /** The owner's view of each of `otherIds`, read through `q` (a transaction's connection, or the pool). */
  async function views(q: Kysely<Database>, ownerId: string, otherIds: string[]): Promise<Relationship[]> {
    if (otherIds.length === 0) return [];
    const r = contactsRepo(q);
    const [others, mine, requests, seen] = await Promise.all([
      usersRepo(q).findByIds(otherIds),
      r.relationshipsBetween(ownerId, otherIds),
      r.requestsOf(ownerId),
      lastSeenVisibleTo(q, { userId: ownerId, sessionId: '' }, otherIds),
    ]);
    return others.map((other) => {
      const row = mine.find((m) => m.owner_id === ownerId && m.other_id === other.id);
      const blocked = row?.blocked === 1;
      return presentRelationship({
        ownerId,
        other,
        mine: row,
        // A request from someone the owner blocked is not shown to the owner.
        requests: requests.filter(
          (req) => (req.from_id === ownerId && req.to_id === other.id) || (req.to_id === ownerId && req.from_id === other.id && !blocked),
        ),
        seesLastSeen: seen.has(other.id),
      });
    });
  }

  async function viewOf(q: Kysely<Database>, ownerId: string, otherId: string): Promise<Relationship> {
    const [view] = await views(q, ownerId, [otherId]);
    if (!view) throw notFound('user_not_found', 'User');
    return view;
  }

  /** Tells `ownerId`'s devices how they now file `otherId`, with their pending count (the badge). */
  async function emitView(uow: UnitOfWork, ownerId: string, otherId: string): Promise<Relationship> {
    const relationship = await viewOf(uow.db, ownerId, otherId);
    const pendingCount = await contactsRepo(uow.db).pendingCount(ownerId);
    await uow.emit({ name: 'contact.updated', userId: ownerId, data: { relationship, pendingCount } });
    return relationship;
  }

  /** Both people hear a change of the pair; a silenced request's changes reach the sender alone. */
  async function emitBoth(uow: UnitOfWork, actorId: string, otherId: string, otherHears: boolean): Promise<Relationship> {
    const mine = await emitView(uow, actorId, otherId);
    if (otherHears) await emitView(uow, otherId, actorId);
    return mine;
  }

  /** The request, if the actor is its sender or its (unsilenced) recipient; otherwise request_not_found. */
  async function requireRequest(actor: Actor, requestId: string): Promise<ContactRequestRow> {
    const request = await repo.findRequest(requestId);
    if (!request) throw notFound('request_not_found', 'Contact request');
    if (request.from_id === actor.userId) return request;
    if (request.to_id === actor.userId && request.silenced === 0) return request;
    throw notFound('request_not_found', 'Contact request');
  }

  function assertPending(request: ContactRequestRow) {
    if (request.status !== 'pending') throw new AppError('conflict', `The request is already ${request.status}`);
  }

  function assertRecipient(actor: Actor, request: ContactRequestRow) {
    if (request.to_id !== actor.userId) throw new AppError('forbidden', 'Only the person asked may answer a contact request');
  }

  async function acceptIn(uow: UnitOfWork, request: ContactRequestRow): Promise<void> {
    const at = now();
    const r = contactsRepo(uow.db);
    await r.setRequestStatus(request.id, 'accepted', at);
    await r.upsertRelationship(request.from_id, request.to_id, { contact: 1 }, at);
    await r.upsertRelationship(request.to_id, request.from_id, { contact: 1 }, at);
    await centre.removeForRequest(uow, request.to_id, request.id);
    await centre.addIn(uow, request.from_id, { kind: 'contact_accepted', actorId: request.to_id, requestId: request.id });
  }

  async function privacyOf(userId: string) {
    const [row] = await repo.privacyOf([userId]);
    return row ?? { ...DEFAULT_PRIVACY };
  }

  return {
    /** Everyone the actor has filed or has a request with; starred first. */
    async list(actor: Actor): Promise<RelationshipList> {
      const [rows, requests] = await Promise.all([repo.relationshipsOf(actor.userId), repo.requestsOf(actor.userId)]);
      const filed = rows.filter((r) => r.contact || r.alias !== null || r.starred || r.blocked).map((r) => r.other_id);
      const asked = requests.map((r) => (r.from_id === actor.userId ? r.to_id : r.from_id));
      const ids = [...new Set([...filed, ...asked])];
      const items = (await views(db, actor.userId, ids)).filter((v) => v.state !== 'none' || v.alias !== null || v.starred || v.blocked);
      return { items: items.sort(byStarThenName), pendingCount: await repo.pendingCount(actor.userId) };
    },

    async get(actor: Actor, userId: string): Promise<Relationship> {
      await requireOther(actor, userId);
      return viewOf(db, actor.userId, userId);
    },

    /** A request to someone who asked the actor first accepts theirs; a repeat returns the pending one. */
    async request(actor: Actor, params: ContactRequestParams): Promise<Relationship> {
      await requireOther(actor, params.userId);
      const facts = await between(db, actor.userId, params.userId);
      if (facts.mine?.contact === 1) throw new AppError('already_contact', 'You are already contacts');
      await spend(actor);
      return transact(async (uow) => {
        const r = contactsRepo(uow.db);
        const theirs = await r.latestRequest(params.userId, actor.userId);
        if (theirs?.status === 'pending') {
          await acceptIn(uow, theirs);
          return emitBoth(uow, actor.userId, params.userId, true);
        }
        const mine = await r.latestRequest(actor.userId, params.userId);
        if (mine?.status === 'pending') return viewOf(uow.db, actor.userId, params.userId);
        const at = now();
        const reaches = requestReaches(facts);
        const request: ContactRequestRow = {
          id: newId(),
          from_id: actor.userId,
          to_id: params.userId,
          note: params.note?.trim() ?? '',
          status: 'pending',
          silenced: reaches ? 0 : 1,
          created_at: at,
          updated_at: at,
        };
        await r.insertRequest(request);
        if (reaches)
          await centre.addIn(uow, params.userId, {
            kind: 'contact_request',
            actorId: actor.userId,
            requestId: request.id,
            data: { note: request.note },
          });
        return emitBoth(uow, actor.userId, params.userId, reaches);
      });
    },

    async accept(actor: Actor, requestId: string): Promise<Relationship> {
      const request = await requireRequest(actor, requestId);
      assertRecipient(actor, request);
      assertPending(request);
      await spend(actor);
      return transact(async (uow) => {
        await acceptIn(uow, request);
        return emitBoth(uow, actor.userId, request.from_id, true);
      });
    },

    async decline(actor: Actor, requestId: string): Promise<Relationship> {
      const request = await requireRequest(actor, requestId);
      assertRecipient(actor, request);
      assertPending(request);
      await spend(actor);
      return transact(async (uow) => {
        await contactsRepo(uow.db).setRequestStatus(request.id, 'declined', now());
        await centre.removeForRequest(uow, actor.userId, request.id);
        return emitBoth(uow, actor.userId, request.from_id, true);
      });
    },

    async cancel(actor: Actor, requestId: string): Promise<Relationship> {
      const request = await requireRequest(actor, requestId);
      if (request.from_id !== actor.userId) throw new AppError('forbidden', 'Only the sender may cancel a contact request');
      assertPending(request);
      await spend(actor);
      return transact(async (uow) => {
        await contactsRepo(uow.db).setRequestStatus(request.id, 'cancelled', now());
        await centre.removeForRequest(uow, request.to_id, request.id);
        return emitBoth(uow, actor.userId, request.to_id, request.silenced === 0);
      });
    },

    /** Ends the contact on both sides; aliases and stars stay, being the owner's own. */
    async remove(actor: Actor, userId: string): Promise<Relationship> {
      await requireOther(actor, userId);
      const mine = await repo.relationship(actor.userId, userId);
      if (mine?.contact !== 1) throw new AppError('conflict', 'Not a contact');
      await spend(actor);
      return transact(async (uow) => {
        const r = contactsRepo(uow.db);
        const at = now();
        await r.upsertRelationship(actor.userId, userId, { contact: 0 }, at);
        await r.upsertRelationship(userId, actor.userId, { contact: 0 }, at);
        return emitBoth(uow, actor.userId, userId, true);
      });
    },

    /** Alias and star: the actor's own, heard by the actor's devices alone. */
    async update(actor: Actor, params: UpdateContactParams): Promise<Relationship> {
      await requireOther(actor, params.userId);
      await spend(actor);
      const alias = params.alias === undefined ? undefined : (params.alias?.trim() ?? null) || null;
      return transact(async (uow) => {
        await contactsRepo(uow.db).upsertRelationship(
          actor.userId,
          params.userId,
          {
            ...(alias !== undefined && { alias }),
            ...(params.starred !== undefined && { starred: params.starred ? 1 : 0 }),
          },
          now(),
        );
        return emitView(uow, actor.userId, params.userId);
      });
    },

    /** Silent: only the blocker's devices hear of it. */
    async setBlocked(actor: Actor, userId: string, blocked: boolean): Promise<Relationship> {
      await requireOther(actor, userId);
      await spend(actor);
      return transact(async (uow) => {
        await contactsRepo(uow.db).upsertRelationship(actor.userId, userId, { blocked: blocked ? 1 : 0 }, now());
        return emitView(uow, actor.userId, userId);
      });
    },

    async profile(actor: Actor, userId: string): Promise<Profile> {
      const row = await usersRepo(db).findById(userId);
      if (!row) throw notFound('user_not_found', 'User');
      const self = userId === actor.userId;
      const [seen, visible, sharedChats, hasDirect] = await Promise.all([
        lastSeenVisibleTo(db, actor, [userId]),
        presenceVisibleTo(db, actor.userId, [userId]),
        repo.sharedChats(actor.userId, userId),
        repo.hasDirectChat(actor.userId, userId),
      ]);
      const user = presentUser(row, { seesLastSeen: seen.has(userId) });
      const relationship: Relationship = self
        ? { user, state: 'none', requestId: null, note: '', alias: null, starred: false, blocked: false, updatedAt: user.createdAt }
        : await viewOf(db, actor.userId, userId);
      const live = row.deleted_at === null;
      const canMessage = !self && live && (hasDirect || mayStartDirect(await between(db, actor.userId, userId)));
      return {
        user,
        relationship,
        presence: visible.has(userId) && live ? presence.status(userId) : null,
        sharedChats: sharedChats.map((c) => ({ id: c.id, name: c.name, kind: c.kind })),
        canMessage,
      };
    },

    async getPrivacy(actor: Actor): Promise<PrivacySettings> {
      return presentPrivacy(await privacyOf(actor.userId));
    },

    async updatePrivacy(actor: Actor, changes: UpdatePrivacyBody): Promise<PrivacySettings> {
      await spend(actor);
      return transact(async (uow) => {
        await contactsRepo(uow.db).upsertPrivacy(
          actor.userId,
          {
            ...(changes.hideEmail !== undefined && { hide_email: changes.hideEmail ? 1 : 0 }),
            ...(changes.directMessages !== undefined && { direct_messages: changes.directMessages }),
            ...(changes.groupInvites !== undefined && { group_invites: changes.groupInvites }),
            ...(changes.lastSeen !== undefined && { last_seen: changes.lastSeen }),
          },
          now(),
        );
        const [row] = await contactsRepo(uow.db).privacyOf([actor.userId]);
        const privacy = presentPrivacy(row ?? DEFAULT_PRIVACY);
        await uow.emit({ name: 'privacy.updated', userId: actor.userId, data: { privacy } });
        return privacy;
      });
    },

    /** B3: away by hand or after idling on the client; `online` ends it. Heard live by those who may see presence. */
    async setPresence(actor: Actor, params: SetPresenceParams): Promise<{ status: PresenceStatus }> {
      await limits.consume('readTyping', actor.userId);
      await presence.setAway(actor.userId, params.status === 'away', params.byHand === true);
      return { status: presence.status(actor.userId) };
    },

    /** Whether `blockerId` blocked `otherId` (for other features: push, quiet hours). */
    isBlocked: async (blockerId: string, otherId: string) => (await repo.relationship(blockerId, otherId))?.blocked === 1,
    /** Whether `ownerId` starred `otherId`. */
    isStarred: async (ownerId: string, otherId: string) => (await repo.relationship(ownerId, otherId))?.starred === 1,
    /** Whether the two are contacts (always both ways). */
    isContact: async (a: string, b: string) => (await repo.relationship(a, b))?.contact === 1,
    /** Whether the user hides their email from search. */
    hidesEmail: async (userId: string) => (await privacyOf(userId)).hide_email === 1,
  };
}
