/** HTTP routes for threads (E15). Replying is `POST /chats/:id/messages` with `threadRootId`. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  FollowThreadBody,
  MarkThreadReadBody,
  MessagePage,
  Thread,
  ThreadList,
  ThreadListQuery,
  ThreadPath,
  ThreadRepliesQuery,
  ThreadState,
} from '@parley/protocol';
import type { FastifyInstance } from 'fastify';
import { requireActor } from '../../http/authenticate.js';
import { authedRoute, errors } from '../../http/responses.js';
import type { Services } from '../../services.js';
import { actorOf } from '../auth/auth.routes.js';

export function threadsRoutes(app: FastifyInstance, { auth, threads }: Services) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const onRequest = requireActor(auth);
  const doc = (summary: string) => ({ tags: ['threads'], summary, ...authedRoute });
  const state = { 200: ThreadState, ...errors };

  r.get(
    '/api/v1/threads',
    {
      onRequest,
      schema: {
        ...doc('Threads you follow, newest reply first, with unread counts'),
        querystring: ThreadListQuery,
        response: { 200: ThreadList, ...errors },
      },
    },
    (req) => threads.list(actorOf(req), req.query),
  );
  r.get(
    '/api/v1/chats/:id/threads/:rootId',
    {
      onRequest,
      schema: { ...doc('A thread: its root, summary and your state'), params: ThreadPath, response: { 200: Thread, ...errors } },
    },
    (req) => threads.get(actorOf(req), { chatId: req.params.id, rootId: req.params.rootId }),
  );
  r.get(
    '/api/v1/chats/:id/threads/:rootId/replies',
    {
      onRequest,
      schema: {
        ...doc('Replies of a thread, oldest first'),
        params: ThreadPath,
        querystring: ThreadRepliesQuery,
        response: { 200: MessagePage, ...errors },
      },
    },
    (req) => threads.replies(actorOf(req), { chatId: req.params.id, rootId: req.params.rootId, ...req.query }),
  );
  r.post(
    '/api/v1/chats/:id/threads/:rootId/read',
    { onRequest, schema: { ...doc('Mark a thread read up to a reply'), params: ThreadPath, body: MarkThreadReadBody, response: state } },
    (req) => threads.markRead(actorOf(req), { chatId: req.params.id, rootId: req.params.rootId, seq: req.body.seq }),
  );
  r.put(
    '/api/v1/chats/:id/threads/:rootId/follow',
    { onRequest, schema: { ...doc('Follow or unfollow a thread'), params: ThreadPath, body: FollowThreadBody, response: state } },
    (req) => threads.follow(actorOf(req), { chatId: req.params.id, rootId: req.params.rootId, following: req.body.following }),
  );
}
