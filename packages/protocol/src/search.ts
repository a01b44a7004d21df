/** Message search (G1–G3): the query with its filters, and hits with structured snippets. */
import { type Static, Type } from '@sinclair/typebox';
import { Id, Page, PageQuery, SafeInteger, Text, Timestamp } from './common.js';
import { Message } from './messages.js';

export const SearchOrder = Type.Union([Type.Literal('newest'), Type.Literal('relevance')]);

export const SearchQuery = Type.Object(
  {
    q: Text({
      minLength: 1,
      maxLength: 200,
      description: 'Words (matched by prefix), CJK terms, emoji, @username; "quotes" for an exact phrase',
    }),
    chatId: Type.Optional(Id),
    senderId: Type.Optional(Id),
    from: Type.Optional(Timestamp),
    to: Type.Optional(Timestamp),
    hasLink: Type.Optional(Type.Boolean()),
    /** Messages with an attachment of any kind / with an image. */
    hasFile: Type.Optional(Type.Boolean()),
    hasImage: Type.Optional(Type.Boolean()),
    mentionsMe: Type.Optional(Type.Boolean()),
    order: Type.Optional(SearchOrder),
    ...PageQuery,
  },
  { additionalProperties: false },
);
export type SearchQuery = Static<typeof SearchQuery>;

export const HighlightRange = Type.Object({
  start: SafeInteger({ description: 'UTF-16 offset into the snippet text' }),
  end: SafeInteger(),
});

/** Plain text and the ranges to highlight: never HTML, so a client cannot render markup from it. */
export const Snippet = Type.Object({
  text: Type.String(),
  highlights: Type.Array(HighlightRange),
  truncatedStart: Type.Boolean(),
  truncatedEnd: Type.Boolean(),
});
export type Snippet = Static<typeof Snippet>;

export const SearchHit = Type.Object({ message: Message, snippet: Snippet });
export type SearchHit = Static<typeof SearchHit>;

export const SearchResults = Page(SearchHit);
export type SearchResults = Static<typeof SearchResults>;
