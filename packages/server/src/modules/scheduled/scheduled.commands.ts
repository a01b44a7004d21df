/** The WebSocket commands of scheduled messages and reminders (E17), merged into the command table (realtime/commands.ts). */
import { ReminderRef, RemindParams, ScheduledRef, ScheduleParams, UpdateScheduledParams } from '@parley/protocol';
import { Type } from '@sinclair/typebox';
import { type Command, define } from '../../realtime/commands.js';
import type { Services } from '../../services.js';

const Empty = Type.Object({}, { additionalProperties: false });
type Name =
  | 'scheduled.create'
  | 'scheduled.list'
  | 'scheduled.update'
  | 'scheduled.cancel'
  | 'reminder.create'
  | 'reminder.list'
  | 'reminder.cancel';

export function scheduledCommands({ scheduled }: Services): Record<Name, Command> {
  const done = (work: Promise<void>) => work.then(() => ({ ok: true }));
  return {
    'scheduled.create': define(ScheduleParams, (actor, p) => scheduled.schedule(actor, p)),
    'scheduled.list': define(Empty, (actor) => scheduled.list(actor)),
    'scheduled.update': define(UpdateScheduledParams, (actor, p) => scheduled.update(actor, p)),
    'scheduled.cancel': define(ScheduledRef, (actor, p) => done(scheduled.cancel(actor, p))),
    'reminder.create': define(RemindParams, (actor, p) => scheduled.remind(actor, p)),
    'reminder.list': define(Empty, (actor) => scheduled.reminders(actor)),
    'reminder.cancel': define(ReminderRef, (actor, p) => done(scheduled.cancelReminder(actor, p))),
  };
}
