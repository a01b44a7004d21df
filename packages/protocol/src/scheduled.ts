/**
 * Scheduled send and reminders (E17). A scheduled message is sent by the server at its
 * time, as if its author sent it then; until then its author can list, edit or cancel it.
 * A reminder brings a message back to you at a time, in your notification centre. Both
 * are durable jobs, so a restart in between changes nothing. Only their owner sees them;
 * changes reach the owner's devices as events in their own stream (`u:`).
 */
import { type Static, Type } from '@sinclair/typebox';
import { Id, Nullable, Text, Timestamp } from './common.js';
import { MESSAGE_MAX_LENGTH } from './messages.js';

export const ScheduledMessage = Type.Object({
  id: Id,
  chatId: Id,
  text: Type.String(),
  sendAt: Timestamp,
  createdAt: Timestamp,
  /** `failed`: at its time it could not be sent (`error` says why, e.g. `chat_not_found` after leaving). */
  status: Type.Union([Type.Literal('pending'), Type.Literal('failed')]),
  error: Nullable(Type.String()),
});
export type ScheduledMessage = Static<typeof ScheduledMessage>;
export const ScheduledList = Type.Object({ items: Type.Array(ScheduledMessage, { description: 'soonest first' }) });
export type ScheduledList = Static<typeof ScheduledList>;

const ScheduledText = Text({ minLength: 1, maxLength: MESSAGE_MAX_LENGTH });
/** In the future (a second at least), at most a year ahead. */
const SendAt = Timestamp;

export const ScheduleBody = Type.Object({ text: ScheduledText, sendAt: SendAt }, { additionalProperties: false });
export const ScheduleParams = Type.Object({ chatId: Id, text: ScheduledText, sendAt: SendAt }, { additionalProperties: false });
export type ScheduleParams = Static<typeof ScheduleParams>;
export const UpdateScheduledBody = Type.Object(
  { text: Type.Optional(ScheduledText), sendAt: Type.Optional(SendAt) },
  { additionalProperties: false, minProperties: 1 },
);
export const UpdateScheduledParams = Type.Object(
  { scheduledId: Id, text: Type.Optional(ScheduledText), sendAt: Type.Optional(SendAt) },
  { additionalProperties: false },
);
export type UpdateScheduledParams = Static<typeof UpdateScheduledParams>;
export const ScheduledRef = Type.Object({ scheduledId: Id }, { additionalProperties: false });
export type ScheduledRef = Static<typeof ScheduledRef>;

export const Reminder = Type.Object({
  id: Id,
  chatId: Id,
  messageId: Id,
  remindAt: Timestamp,
  createdAt: Timestamp,
});
export type Reminder = Static<typeof Reminder>;
export const ReminderList = Type.Object({ items: Type.Array(Reminder, { description: 'soonest first' }) });
export type ReminderList = Static<typeof ReminderList>;
export const RemindBody = Type.Object({ remindAt: Timestamp }, { additionalProperties: false });
export const RemindParams = Type.Object({ chatId: Id, messageId: Id, remindAt: Timestamp }, { additionalProperties: false });
export type RemindParams = Static<typeof RemindParams>;
export const ReminderRef = Type.Object({ reminderId: Id }, { additionalProperties: false });
export type ReminderRef = Static<typeof ReminderRef>;

/** `scheduled.updated`: the scheduled message as it is now, or null once sent or cancelled. */
export interface ScheduledUpdated {
  id: string;
  scheduled: ScheduledMessage | null;
}
/** `reminder.updated`: the reminder, or null once delivered (to the notification centre) or cancelled. */
export interface ReminderUpdated {
  id: string;
  reminder: Reminder | null;
}
