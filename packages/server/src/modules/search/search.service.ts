/**
 * Message search (G1–G3): across every chat the actor may read now, or inside one, with
 * filters, newest first or by relevance, cursor-paged, each hit with a snippet whose
 * matches are ranges. Access first: a chat filter the actor may not read answers
 * chat_not_found like a missing chat; the index query itself only reaches chats the actor
 * is a member of today, and private messages only of their two people.
 */
import type { SearchQuery, SearchResults } from '@parley/protocol';
import type { Kysely } from 'kysely';
import type { Actor } from '../../access/actor.js';
import { requireMember } from '../../access/chat-access.js';
import { AppError } from '../../errors.js';
import { decodeCursor, encodeCursor } from '../../storage/cursor.js';
import type { Database } from '../../storage/schema.js';
import { presentMessages } from '../messages/messages.present.js';
import { type IndexQuery, searchIndexFor } from './search-index.js';
import { snippet } from './snippet.js';
import { chatToken, LINK_TOKEN, parseQuery, type QueryPart } from './tokenise.js';

export type SearchService = ReturnType<typeof createSearchService>;

/** Relevance pages are offsets; past this, refine the query rather than page on. */
const MAX_RELEVANCE_OFFSET = 1000;
const NEWEST_KEY = /^-?\d{1,16}(:[A-Za-z0-9_-]{1,64})?$/;

const invalidCursor = () =>
  new AppError('validation_failed', 'cursor is not a cursor this server issued', { location: 'query', field: 'cursor', rule: 'cursor' });

function pagePosition(query: SearchQuery): { after: string | null; offset: number } {
  if (!query.cursor) return { after: null, offset: 0 };
  if ((query.order ?? 'newest') === 'newest') {
    const after = decodeCursor(query.cursor, 'after');
    if (!NEWEST_KEY.test(after)) throw invalidCursor();
    return { after, offset: 0 };
  }
  const offset = Number(decodeCursor(query.cursor, 'offset'));
  if (!Number.isInteger(offset) || offset < 0 || offset > MAX_RELEVANCE_OFFSET) throw invalidCursor();
  return { after: null, offset };
}

const millis = (iso: string | undefined) => (iso === undefined ? undefined : Date.parse(iso));

export function createSearchService(db: Kysely<Database>) {
  return {
    async messages(actor: Actor, query: SearchQuery): Promise<SearchResults> {
      if (query.chatId !== undefined) await requireMember(db, actor, query.chatId);
      const parsed = parseQuery(query.q);
      if (parsed.parts.length === 0) return { items: [], nextCursor: null };
      // In one chat, its chat token makes the index intersect instead of checking every match's chat.
      const scope: QueryPart[] = query.chatId === undefined ? [] : [{ kind: 'token', token: chatToken(query.chatId), prefix: false }];
      const order = query.order ?? 'newest';
      const limit = query.limit ?? 20;
      const { after, offset } = pagePosition(query);
      const request: IndexQuery = {
        viewerId: actor.userId,
        parts: [...parsed.parts, ...scope, ...(query.hasLink ? [{ kind: 'token', token: LINK_TOKEN, prefix: false } as const] : [])],
        filters: {
          ...(query.chatId !== undefined && { chatId: query.chatId }),
          ...(query.senderId !== undefined && { senderId: query.senderId }),
          ...(query.from !== undefined && { from: millis(query.from) }),
          ...(query.to !== undefined && { to: millis(query.to) }),
          ...(query.mentionsMe && { mentionsMe: true }),
          ...(query.hasFile && { hasFile: true }),
          ...(query.hasImage && { hasImage: true }),
        },
        order,
        after,
        offset,
        limit: limit + 1,
      };
      const found = await searchIndexFor(db).find(db, request);
      const page = found.slice(0, limit).map(({ key: _key, ...row }) => row);
      const last = found[limit - 1];
      const more = found.length > limit && last !== undefined;
      const presented = await presentMessages(db, page);
      return {
        items: presented.map((message) => ({ message, snippet: snippet(message.text, parsed.marks) })),
        nextCursor: more ? encodeCursor(order === 'newest' ? { after: last.key } : { offset: offset + limit }) : null,
      };
    },
  };
}
