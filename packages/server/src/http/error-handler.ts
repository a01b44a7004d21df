/**
 * Maps everything that can go wrong in a request to the one error shape
 * `{"error":{"code","message","details"?}}`. Only unexpected failures become 5xx, and
 * those are logged with the request id and never show internals to the client.
 */
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
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

/** What Node's parser (llhttp) and its timers report, in the catalogue's words. */
function clientErrorToAppError(code: string | undefined): AppError {
  switch (code) {
    case 'HPE_HEADER_OVERFLOW':
      return new AppError('headers_too_large', 'Request headers are too large');
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new AppError('request_timeout', 'The request did not arrive in time');
    case 'HPE_INVALID_METHOD':
      return new AppError('bad_request', 'Unknown HTTP method');
    case 'HPE_UNEXPECTED_CONTENT_LENGTH':
    case 'HPE_INVALID_TRANSFER_ENCODING':
      return new AppError('bad_request', 'Content-Length and Transfer-Encoding must not be sent together');
    case 'HPE_INVALID_HEADER_TOKEN':
    case 'HPE_INVALID_CONSTANT':
      return new AppError('bad_request', 'A request header is not valid HTTP (control characters are not allowed)');
    default:
      return new AppError('bad_request', 'The request is not valid HTTP');
  }
}

/**
 * Fastify's `clientErrorHandler`: requests Node's parser refuses (a bad request line,
 * headers too large or with control characters, Content-Length with Transfer-Encoding,
 * an unknown method) or that time out never become Fastify requests. They still get the
 * catalogue shape and a request id, which is logged, and the connection is closed, since
 * the parser cannot find where the next request would start.
 */
export function clientErrorHandler(this: FastifyInstance, error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const requestId = randomUUID();
  const appError = clientErrorToAppError(error.code);
  this.log.debug({ requestId, code: error.code, answer: appError.code }, 'refused a request the HTTP parser could not read');
  // A response already under way on this socket cannot be followed by another.
  const inProgress = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
  if (socket.writable && !inProgress) {
    const body: ErrorBody = { error: { code: appError.code, message: appError.message } };
    const text = JSON.stringify(body);
    socket.write(
      `HTTP/1.1 ${appError.status} ${STATUS_CODES[appError.status] ?? 'Error'}\r\n` +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(text)}\r\n` +
        `X-Request-Id: ${requestId}\r\n` +
        'X-Content-Type-Options: nosniff\r\n' +
        'Cache-Control: no-store\r\n' +
        'Connection: close\r\n\r\n' +
        text,
    );
  }
  socket.destroy();
}
