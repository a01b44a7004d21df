/** HTTP routes for email verification, email change and password reset: parse → service. */

import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  ChangeEmailBody,
  PasswordResetConfirmBody,
  PasswordResetRequestBody,
  ResendVerificationBody,
  VerifyEmailBody,
} from '@parley/protocol';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { requireActor } from '../../http/authenticate.js';
import { authedRoute, errors, NoContent } from '../../http/responses.js';
import type { AccountEmailService } from './account-email.service.js';
import { actorOf } from './auth.routes.js';
import type { AuthService } from './auth.service.js';

const Accepted = Type.Null({ description: 'Accepted: an email goes out if there is anything to send' });

export function accountEmailRoutes(app: FastifyInstance, auth: AuthService, accountEmail: AccountEmailService) {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const onRequest = requireActor(auth);
  const tags = ['auth'];

  r.post(
    '/api/v1/auth/verify-email',
    {
      schema: {
        tags,
        summary: 'Confirm an email address with the emailed link’s token',
        body: VerifyEmailBody,
        response: { 204: NoContent, ...errors },
      },
    },
    async (request, reply) => {
      await accountEmail.verify(request.body);
      return reply.status(204).send(null);
    },
  );

  r.post(
    '/api/v1/auth/verify-email/resend',
    {
      onRequest,
      schema: { tags, summary: 'Send the verification email again', ...authedRoute, response: { 202: Accepted, ...errors } },
    },
    async (request, reply) => {
      await accountEmail.resend(actorOf(request), {}, request.ip);
      return reply.status(202).send(null);
    },
  );

  r.post(
    '/api/v1/auth/verify-email/request',
    {
      schema: {
        tags,
        summary: 'Signed out: send a verification email to this address if it has an unverified account (same answer either way)',
        body: ResendVerificationBody,
        response: { 202: Accepted, ...errors },
      },
    },
    async (request, reply) => {
      await accountEmail.resend(null, request.body, request.ip);
      return reply.status(202).send(null);
    },
  );

  r.post(
    '/api/v1/users/me/email',
    {
      onRequest,
      schema: {
        tags: ['users'],
        summary: 'Change your email: a link goes to the new address, which replaces the old one once confirmed',
        ...authedRoute,
        body: ChangeEmailBody,
        response: { 202: Accepted, ...errors },
      },
    },
    async (request, reply) => {
      await accountEmail.changeEmail(actorOf(request), request.body);
      return reply.status(202).send(null);
    },
  );

  r.post(
    '/api/v1/auth/password-reset',
    {
      schema: {
        tags,
        summary: 'Email a password reset link and code (the same answer whether or not the address has an account)',
        body: PasswordResetRequestBody,
        response: { 202: Accepted, ...errors },
      },
    },
    async (request, reply) => {
      await accountEmail.requestReset(request.body, request.ip);
      return reply.status(202).send(null);
    },
  );

  r.post(
    '/api/v1/auth/password-reset/confirm',
    {
      schema: {
        tags,
        summary: 'Set a new password with the emailed token (or address and code); every session ends',
        body: PasswordResetConfirmBody,
        response: { 204: NoContent, ...errors },
      },
    },
    async (request, reply) => {
      await accountEmail.confirmReset(request.body, request.ip);
      return reply.status(204).send(null);
    },
  );
}
