/** HTTP routes for user groups (E20). */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ChatIdParams, CreateUserGroupBody, UpdateUserGroupBody, UserGroup, UserGroupList } from '@parley/protocol';
import type { FastifyInstance } from 'fastify';
import { requireActor } from '../../http/authenticate.js';
import { authedRoute, errors, NoContent } from '../../http/responses.js';
import type { Services } from '../../services.js';
import { actorOf } from '../auth/auth.routes.js';

export function userGroupsRoutes(app: FastifyInstance, { auth, userGroups }: Services) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const onRequest = requireActor(auth);
  const doc = (summary: string) => ({ tags: ['user groups'], summary, ...authedRoute });

  r.get(
    '/api/v1/user-groups',
    { onRequest, schema: { ...doc('Every user group, by handle'), response: { 200: UserGroupList, ...errors } } },
    (req) => userGroups.list(actorOf(req)),
  );
  r.post(
    '/api/v1/user-groups',
    {
      onRequest,
      schema: { ...doc('Create a group people can @mention'), body: CreateUserGroupBody, response: { 201: UserGroup, ...errors } },
    },
    async (req, reply) => reply.status(201).send(await userGroups.create(actorOf(req), req.body)),
  );
  r.patch(
    '/api/v1/user-groups/:id',
    {
      onRequest,
      schema: {
        ...doc('Rename a group or set its members'),
        params: ChatIdParams,
        body: UpdateUserGroupBody,
        response: { 200: UserGroup, ...errors },
      },
    },
    (req) => userGroups.update(actorOf(req), req.params.id, req.body),
  );
  r.delete(
    '/api/v1/user-groups/:id',
    { onRequest, schema: { ...doc('Delete a group'), params: ChatIdParams, response: { 204: NoContent, ...errors } } },
    async (req, reply) => {
      await userGroups.remove(actorOf(req), req.params.id);
      return reply.status(204).send(null);
    },
  );
}
