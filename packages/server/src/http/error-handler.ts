/**
 * Maps everything that can go wrong in a request to the one error shape
 * `{"error":{"code","message","details"?}}`. Only unexpected failures become 5xx, and
 * those are logged with the request id and never show internals to the client.
 */
import type { ErrorBody } from '@parley/protocol';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';
import { describeValidationError } from './validation.js';

export function sendError(reply: FastifyReply, error: AppError): FastifyReply {
  const body: ErrorBody = { error: { code: error.code, message: error.message, ...(error.details && { details: error.details }) } };
  if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds));
  return reply.status(error.status).send(body);
}

/** Converts framework and parser errors to catalogued AppErrors. */
export function toAppError(error: FastifyError | Error): AppError | null {
  if (error instanceof AppError) return error;
  const fe = error as FastifyError;
  if (fe.validation && fe.validation.length > 0) {
    const first = fe.validation[0];
    if (first) {
      // Fastify says `querystring`; the catalogue (and cursor errors) say `query`.
      const location = fe.validationContext === 'querystring' ? 'query' : (fe.validationContext ?? 'body');
      const { message, ...details } = describeValidationError(first, location);
      return new AppError('validation_failed', message, details);
    }
  }
  switch (fe.code) {
    // PostgreSQL refuses NUL in text; a schema that let one through is a client error, not a 500.
    case '22021':
      return new AppError('bad_request', 'Text must not contain NUL characters');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('unsupported_media_type', 'Content-Type must be application/json');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('payload_too_large', 'Request body is too large');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('malformed_json', 'Body is empty but Content-Type is application/json');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('malformed_json', 'Body is not valid JSON');
  }
  if (error instanceof SyntaxError || fe.statusCode === 400) {
    return new AppError(
      error instanceof SyntaxError ? 'malformed_json' : 'bad_request',
      error instanceof SyntaxError ? 'Body is not valid JSON' : error.message,
    );
  }
  if (fe.statusCode === 413) return new AppError('payload_too_large', 'Request body is too large');
  if (fe.statusCode === 415) return new AppError('unsupported_media_type', 'Content-Type must be application/json');
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) return new AppError('bad_request', error.message);
  return null;
}

/**
 * Fastify's router answers a URL it cannot decode, or a path segment over maxParamLength,
 * without calling the error handler; this `frameworkErrors` option gives them the one shape.
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  // These replies skip the onSend hooks, so the request id is set here.
  reply.header('x-request-id', request.id);
  return sendError(reply, toAppError(error) ?? new AppError('bad_request', error.message));
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const known = toAppError(error);
    if (known) return sendError(reply, known);
    request.log.error({ err: error }, 'request failed');
    return sendError(reply, new AppError('internal_error', 'Something went wrong on the server; it has been logged'));
  });
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, new AppError('route_not_found', `No route ${request.method} ${request.url.split('?')[0]}`)),
  );
}
