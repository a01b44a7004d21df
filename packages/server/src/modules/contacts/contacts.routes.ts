/** HTTP routes for people: contacts and requests, alias/star, blocks, profiles, privacy, presence. */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  ContactRequestParams,
  PersonIdParams,
  PrivacySettings,
  Profile,
  Relationship,
  RelationshipList,
  RequestIdParams,
  SetPresenceParams,
  UpdateContactBody,
  UpdatePrivacyBody,
  UserIdParams,
} from '@parley/protocol';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { requireActor } from '../../http/authenticate.js';
import { authedRoute, errors } from '../../http/responses.js';
import type { Services } from '../../services.js';
import { actorOf } from '../auth/auth.routes.js';

export function contactsRoutes(app: FastifyInstance, { auth, contacts }: Services) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const onRequest = requireActor(auth);
  const doc = (summary: string, tags = ['contacts']) => ({ tags, summary, ...authedRoute });
  const one = { 200: Relationship, ...errors };

  r.get(
    '/api/v1/contacts',
    {
      onRequest,
      schema: {
        ...doc('Your contacts, requests, starred and blocked people; starred first'),
        response: { 200: RelationshipList, ...errors },
      },
    },
    (req) => contacts.list(actorOf(req)),
  );
  r.get(
    '/api/v1/contacts/:userId',
    { onRequest, schema: { ...doc('How you file one person'), params: PersonIdParams, response: one } },
    (req) => contacts.get(actorOf(req), req.params.userId),
  );
  r.patch(
    '/api/v1/contacts/:userId',
    {
      onRequest,
      schema: { ...doc('Set your private alias or star for a person'), params: PersonIdParams, body: UpdateContactBody, response: one },
    },
    (req) => contacts.update(actorOf(req), { userId: req.params.userId, ...req.body }),
  );
  r.delete(
    '/api/v1/contacts/:userId',
    { onRequest, schema: { ...doc('Remove a contact (both sides)'), params: PersonIdParams, response: one } },
    (req) => contacts.remove(actorOf(req), req.params.userId),
  );
  r.put(
    '/api/v1/contacts/:userId/block',
    { onRequest, schema: { ...doc('Block a person (they are not told)'), params: PersonIdParams, response: one } },
    (req) => contacts.setBlocked(actorOf(req), req.params.userId, true),
  );
  r.delete(
    '/api/v1/contacts/:userId/block',
    { onRequest, schema: { ...doc('Unblock a person'), params: PersonIdParams, response: one } },
    (req) => contacts.setBlocked(actorOf(req), req.params.userId, false),
  );
  r.post(
    '/api/v1/contact-requests',
    { onRequest, schema: { ...doc('Ask someone to be your contact, with an optional note'), body: ContactRequestParams, response: one } },
    (req) => contacts.request(actorOf(req), req.body),
  );
  for (const [action, summary] of [
    ['accept', 'Accept a contact request sent to you'],
    ['decline', 'Decline a contact request sent to you'],
    ['cancel', 'Cancel a contact request you sent'],
  ] as const) {
    r.post(
      `/api/v1/contact-requests/:id/${action}`,
      { onRequest, schema: { ...doc(summary), params: RequestIdParams, response: one } },
      (req) => contacts[action](actorOf(req), req.params.id),
    );
  }
  r.get(
    '/api/v1/users/:id/profile',
    {
      onRequest,
      schema: {
        ...doc('A person as you see them: profile, your relationship, presence if allowed, shared chats', ['users']),
        params: UserIdParams,
        response: { 200: Profile, ...errors },
      },
    },
    (req) => contacts.profile(actorOf(req), req.params.id),
  );
  r.get(
    '/api/v1/users/me/privacy',
    { onRequest, schema: { ...doc('Your privacy settings', ['users']), response: { 200: PrivacySettings, ...errors } } },
    (req) => contacts.getPrivacy(actorOf(req)),
  );
  r.patch(
    '/api/v1/users/me/privacy',
    {
      onRequest,
      schema: { ...doc('Change your privacy settings', ['users']), body: UpdatePrivacyBody, response: { 200: PrivacySettings, ...errors } },
    },
    (req) => contacts.updatePrivacy(actorOf(req), req.body),
  );
  r.put(
    '/api/v1/users/me/presence',
    {
      onRequest,
      schema: {
        ...doc('Set yourself away (idle or by hand) or back online', ['users']),
        body: SetPresenceParams,
        response: { 200: Type.Object({ status: Type.String() }), ...errors },
      },
    },
    (req) => contacts.setPresence(actorOf(req), req.body),
  );
}
