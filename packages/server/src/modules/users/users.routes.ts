/** HTTP routes for profiles and people search. */

import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  Me,
  PublicUser,
  SearchUsersQuery,
  UpdateMeBody,
  UserIdParams,
  UsernameAvailability,
  UsernameAvailabilityQuery,
  UserPage,
} from '@parley/protocol';
import type { FastifyInstance } from 'fastify';
import { requireActor } from '../../http/authenticate.js';
import { authedRoute, errors } from '../../http/responses.js';
import { actorOf } from '../auth/auth.routes.js';
import type { AuthService } from '../auth/auth.service.js';
import type { UsersService } from './users.service.js';

export function usersRoutes(app: FastifyInstance, auth: AuthService, users: UsersService) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const onRequest = requireActor(auth);
  const tags = ['users'];

  r.get(
    '/api/v1/users/me',
    {
      onRequest,
      schema: { tags, summary: 'The signed-in user', ...authedRoute, response: { 200: Me, ...errors } },
    },
    async (request) => users.getMe(actorOf(request)),
  );

  r.patch(
    '/api/v1/users/me',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Edit your display name, status line or bio',
        ...authedRoute,
        body: UpdateMeBody,
        response: { 200: Me, ...errors },
      },
    },
    async (request) => users.updateMe(actorOf(request), request.body),
  );

  r.get(
    '/api/v1/users',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Search people by username or display name prefix, or exact email',
        ...authedRoute,
        querystring: SearchUsersQuery,
        response: { 200: UserPage, ...errors },
      },
    },
    async (request) => users.search(actorOf(request), request.query),
  );

  // Public on purpose: the sign-up form checks availability before an account exists.
  r.get(
    '/api/v1/users/availability',
    {
      schema: {
        tags,
        summary: 'Whether a username is free (for the sign-up form)',
        querystring: UsernameAvailabilityQuery,
        response: { 200: UsernameAvailability, ...errors },
      },
    },
    async (request) => ({
      username: request.query.username.toLowerCase(),
      available: await users.isUsernameAvailable(request.query.username),
    }),
  );

  r.get(
    '/api/v1/users/:id',
    {
      onRequest,
      schema: { tags, summary: "A user's public profile", ...authedRoute, params: UserIdParams, response: { 200: PublicUser, ...errors } },
    },
    async (request) => users.getUser(actorOf(request), request.params.id),
  );
}
