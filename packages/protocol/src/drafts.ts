/**
 * Drafts synced across devices (I5): what a person has typed but not sent, one per chat and
 * one per thread (`threadRootId`, E15), kept on the server so their other devices show it.
 * Saving an empty text clears it.
 */
import { type Static, Type } from '@sinclair/typebox';
import { Id, Text, Timestamp } from './common.js';
import { MESSAGE_MAX_LENGTH } from './messages.js';

export const Draft = Type.Object({
  chatId: Id,
  /** Present for a reply being written in this thread; absent for the chat's own composer. */
  threadRootId: Type.Optional(Id),
  text: Type.String(),
  updatedAt: Timestamp,
});
export type Draft = Static<typeof Draft>;

export const DraftList = Type.Object({ items: Type.Array(Draft) });
export type DraftList = Static<typeof DraftList>;

const DraftText = Text({ maxLength: MESSAGE_MAX_LENGTH, description: 'The draft; an empty text clears it.' });

export const SaveDraftBody = Type.Object({ text: DraftText, threadRootId: Type.Optional(Id) }, { additionalProperties: false });
export const SaveDraftParams = Type.Object(
  { chatId: Id, text: DraftText, threadRootId: Type.Optional(Id) },
  { additionalProperties: false },
);
export type SaveDraftParams = Static<typeof SaveDraftParams>;

/** The `draft.updated` event, in the person's own stream (`u:<userId>`); `text` '' means cleared. */
export type DraftUpdated = Draft;
