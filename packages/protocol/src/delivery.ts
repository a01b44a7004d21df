/**
 * Delivery state (E10) and the account's language (J10): the issue-17 additions to the
 * protocol. A member's delivered position is the newest message seq one of their devices
 * confirmed receiving (`delivered.mark`, sent by the SDK as messages arrive); read implies
 * delivered, so clients show max(deliveredSeq, lastReadSeq).
 */
import { type Static, Type } from '@sinclair/typebox';
import { Id, SafeInteger } from './common.js';

export const MarkDeliveredParams = Type.Object({ chatId: Id, seq: SafeInteger() }, { additionalProperties: false });
export type MarkDeliveredParams = Static<typeof MarkDeliveredParams>;

export const DeliveredState = Type.Object({ chatId: Id, deliveredSeq: SafeInteger() });
export type DeliveredState = Static<typeof DeliveredState>;

/** The `delivered.updated` event: a member's devices have received the chat up to `deliveredSeq`. */
export interface DeliveredUpdated {
  chatId: string;
  userId: string;
  deliveredSeq: number;
}

/** The languages the apps speak; an account's choice is one of them, or null to follow the browser. */
export const UI_LANGUAGES = ['en', 'ru', 'zh', 'ja', 'ko'] as const;
export type UiLanguage = (typeof UI_LANGUAGES)[number];
export const UiLanguage = Type.Union(
  UI_LANGUAGES.map((l) => Type.Literal(l)),
  { description: 'en, ru, zh (Simplified Chinese), ja or ko' },
);
export const isUiLanguage = (value: unknown): value is UiLanguage => (UI_LANGUAGES as readonly unknown[]).includes(value);
