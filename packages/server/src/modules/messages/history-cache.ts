/**
 * The newest page of each chat's history, kept presented and serialised: opening a chat
 * is the most common read, and building, presenting and serialising its 50 rows was most
 * of a history request's CPU (docs/performance.md, "History page cache").
 *
 * What it keeps is the same for every member — the newest rows of the timeline whoever may
 * see them, each with its audience — and each request filters it for its viewer, so a
 * private message reaches only its two people. It admits nobody: the service checks
 * membership in the database first, on every request, and the row that check reads
 * carries the chat's event position (`chats.event_seq`), which moves with every stored
 * event of the chat (a message, an edit, a deletion, a reaction, a poll vote, a link
 * preview, a member leaving…) in the transaction that makes the change. A page kept at
 * another position is not served, so a change shows in the next request on every instance
 * at once, without waiting for the bus. What a chat's events do not cover — a person's
 * new name (`user.updated`) — forgets the pages presenting them (on every instance,
 * through the bus: services.ts), and every page is read again after a few seconds in any
 * case, a bound for a change that is never announced (a thumbnail that failed).
 */
import type { Message } from '@parley/protocol';

/** A presented message as kept: its JSON and who may see it. */
interface KeptMessage {
  json: string;
  privateTo: string | null;
  senderId: string | null;
}

interface NewestPage {
  eventSeq: number;
  at: number;
  /** Newest first: up to `limit + 1` rows, so that "older ones exist" is known. */
  messages: KeptMessage[];
  /** Fewer rows than asked for exist: these are the whole timeline. */
  complete: boolean;
  /** Everyone whose name or username the page shows (senders, quoted senders). */
  people: Set<string>;
  /** The whole answer when nothing in it is private: the same bytes for every member. */
  shared: Buffer | null;
}

const MAX_AGE_MS = 2_000;
/** A page is ~30 KB twice (its messages' JSON and the shared body): ~30 MB at most. */
const MAX_PAGES = 500;

export type SerialiseMessage = (message: Message) => string;

/** Visible to this viewer: public, or private between them and another. */
const visibleTo = (message: KeptMessage, viewerId: string) =>
  message.privateTo === null || message.privateTo === viewerId || message.senderId === viewerId;

const body = (newestFirst: string[], hasOlder: boolean): Buffer =>
  // The field order of MessagePage, as the route's own serialiser writes it.
  Buffer.from(`{"items":[${newestFirst.reverse().join(',')}],"hasOlder":${hasOlder},"hasNewer":false}`);

export type HistoryCache = ReturnType<typeof createHistoryCache>;

export function createHistoryCache() {
  const pages = new Map<string, NewestPage>();
  /** Moves on every forget: a page read while a forget ran is not kept (it may hold the old name). */
  let generation = 0;
  const keyOf = (chatId: string, limit: number) => `${chatId}:${limit}`;

  return {
    /** Where forgets stand now; hand it back to `keep` for a page read after this. */
    generation: () => generation,

    /**
     * The chat's newest page for this viewer, as JSON bytes, if it is kept at this event
     * position and the kept rows decide it (a viewer who cannot see some of them may need
     * older rows than those kept: null, and the service reads their page as before).
     */
    newest(chatId: string, limit: number, eventSeq: number, viewerId: string): Buffer | null {
      const page = pages.get(keyOf(chatId, limit));
      if (!page) return null;
      if (page.eventSeq !== eventSeq || Date.now() - page.at >= MAX_AGE_MS) {
        pages.delete(keyOf(chatId, limit));
        return null;
      }
      if (page.shared) return page.shared;
      const visible: string[] = [];
      for (const message of page.messages) {
        if (!visibleTo(message, viewerId)) continue;
        visible.push(message.json);
        if (visible.length > limit) break;
      }
      if (visible.length <= limit && !page.complete) return null;
      return body(visible.slice(0, limit), visible.length > limit);
    },

    /**
     * Keeps the newest rows of the chat (newest first, as read for everyone: `asked` rows
     * were asked for), presented, at the event position read before them.
     */
    keep(
      chatId: string,
      limit: number,
      page: { eventSeq: number; generation: number; asked: number; messages: Message[] },
      serialise: SerialiseMessage,
    ): void {
      if (page.generation !== generation) return;
      const messages = page.messages.map((m) => ({ json: serialise(m), privateTo: m.privateTo, senderId: m.senderId }));
      const people = new Set<string>();
      for (const m of page.messages) {
        if (m.senderId) people.add(m.senderId);
        if (m.replyTo?.senderId) people.add(m.replyTo.senderId);
      }
      const hasPrivate = messages.some((m) => m.privateTo !== null);
      if (pages.size >= MAX_PAGES) {
        const oldest = pages.keys().next().value;
        if (oldest !== undefined) pages.delete(oldest);
      }
      pages.set(keyOf(chatId, limit), {
        eventSeq: page.eventSeq,
        at: Date.now(),
        messages,
        complete: page.messages.length < page.asked,
        people,
        shared: hasPrivate
          ? null
          : body(
              messages.slice(0, limit).map((m) => m.json),
              messages.length > limit,
            ),
      });
    },

    /** The person's name or username changed: pages that show them are read again. */
    forgetPerson(userId: string): void {
      generation++;
      for (const [key, page] of pages) if (page.people.has(userId)) pages.delete(key);
    },
  };
}
