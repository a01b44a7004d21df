/** Relationship rows → the viewer's `Relationship`s. Queries nothing: the service gathers the rows. */
import type { ContactState, Relationship } from '@parley/protocol';
import { toIso } from '../../clock.js';
import { presentUser } from '../users/users.present.js';
import type { UserRow } from '../users/users.repo.js';
import type { ContactRequestRow, RelationshipRow } from './contacts.repo.js';

export interface RelationshipFacts {
  ownerId: string;
  other: UserRow;
  /** The owner's row about the other. */
  mine: RelationshipRow | undefined;
  /** Requests between the two that the owner may know of (see contactsRepo.requestsOf). */
  requests: ContactRequestRow[];
  seesLastSeen: boolean;
}

/** Pending either way beats an old decline; a contact beats everything. */
function stateOf(f: RelationshipFacts): { state: ContactState; request: ContactRequestRow | null } {
  if (f.mine?.contact === 1) return { state: 'accepted', request: null };
  const newest = (rows: ContactRequestRow[]) => rows.sort((a, b) => Number(b.created_at) - Number(a.created_at))[0] ?? null;
  // The newest request the owner sent tells whether it is pending, declined or was cancelled.
  const sent = newest(f.requests.filter((r) => r.from_id === f.ownerId));
  if (sent?.status === 'pending') return { state: 'sent', request: sent };
  const received = newest(f.requests.filter((r) => r.to_id === f.ownerId && r.status === 'pending'));
  if (received) return { state: 'received', request: received };
  if (sent?.status === 'declined') return { state: 'declined', request: sent };
  return { state: 'none', request: null };
}

export function presentRelationship(f: RelationshipFacts): Relationship {
  const { state, request } = stateOf(f);
  const updatedAt = Math.max(Number(f.mine?.updated_at ?? 0), Number(request?.updated_at ?? 0), Number(f.other.created_at));
  return {
    user: presentUser(f.other, { seesLastSeen: f.seesLastSeen }),
    state,
    requestId: request?.id ?? null,
    note: request?.note ?? '',
    alias: f.mine?.alias ?? null,
    starred: f.mine?.starred === 1,
    blocked: f.mine?.blocked === 1,
    updatedAt: toIso(updatedAt),
  };
}

/** Starred first, then by the name the viewer sees (alias, else display name). */
export const byStarThenName = (a: Relationship, b: Relationship) =>
  Number(b.starred) - Number(a.starred) || (a.alias ?? a.user.displayName).localeCompare(b.alias ?? b.user.displayName);
