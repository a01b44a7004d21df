/** HTTP routes for scheduled messages and reminders (E17). */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  ChatIdParams,
  RemindBody,
  Reminder,
  ReminderList,
  ScheduleBody,
  ScheduledList,
  ScheduledMessage,
  UpdateScheduledBody,
} from '@parley/protocol';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { requireActor } from '../../http/authenticate.js';
import { authedRoute, errors, NoContent } from '../../http/responses.js';
import type { Services } from '../../services.js';
import { actorOf } from '../auth/auth.routes.js';

const IdPath = Type.Object({ id: ChatIdParams.properties.id });
const MessagePath = Type.Object({ id: ChatIdParams.properties.id, messageId: ChatIdParams.properties.id });

export function scheduledRoutes(app: FastifyInstance, { auth, scheduled }: Services) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const onRequest = requireActor(auth);
  const doc = (summary: string) => ({ tags: ['scheduled'], summary, ...authedRoute });

  r.post(
    '/api/v1/chats/:id/scheduled',
    {
      onRequest,
      schema: {
        ...doc('Schedule a message to be sent later'),
        params: ChatIdParams,
        body: ScheduleBody,
        response: { 201: ScheduledMessage, ...errors },
      },
    },
    async (req, reply) => reply.status(201).send(await scheduled.schedule(actorOf(req), { chatId: req.params.id, ...req.body })),
  );
  r.get(
    '/api/v1/scheduled',
    { onRequest, schema: { ...doc('Your scheduled messages, soonest first'), response: { 200: ScheduledList, ...errors } } },
    (req) => scheduled.list(actorOf(req)),
  );
  r.patch(
    '/api/v1/scheduled/:id',
    {
      onRequest,
      schema: {
        ...doc('Change a scheduled message’s text or time'),
        params: IdPath,
        body: UpdateScheduledBody,
        response: { 200: ScheduledMessage, ...errors },
      },
    },
    (req) => scheduled.update(actorOf(req), { scheduledId: req.params.id, ...req.body }),
  );
  r.delete(
    '/api/v1/scheduled/:id',
    { onRequest, schema: { ...doc('Cancel a scheduled message'), params: IdPath, response: { 204: NoContent, ...errors } } },
    async (req, reply) => {
      await scheduled.cancel(actorOf(req), { scheduledId: req.params.id });
      return reply.status(204).send(null);
    },
  );

  r.post(
    '/api/v1/chats/:id/messages/:messageId/reminder',
    {
      onRequest,
      schema: { ...doc('Remind me about this message'), params: MessagePath, body: RemindBody, response: { 201: Reminder, ...errors } },
    },
    async (req, reply) =>
      reply.status(201).send(await scheduled.remind(actorOf(req), { chatId: req.params.id, messageId: req.params.messageId, ...req.body })),
  );
  r.get(
    '/api/v1/reminders',
    { onRequest, schema: { ...doc('Your reminders, soonest first'), response: { 200: ReminderList, ...errors } } },
    (req) => scheduled.reminders(actorOf(req)),
  );
  r.delete(
    '/api/v1/reminders/:id',
    { onRequest, schema: { ...doc('Cancel a reminder'), params: IdPath, response: { 204: NoContent, ...errors } } },
    async (req, reply) => {
      await scheduled.cancelReminder(actorOf(req), { reminderId: req.params.id });
      return reply.status(204).send(null);
    },
  );
}
