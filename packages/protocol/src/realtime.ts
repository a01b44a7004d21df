/**
 * The WebSocket protocol (`/api/v1/ws`), described in full in docs/protocol.md.
 * Client → server: command frames `{id, cmd, params}`; every one gets exactly one reply.
 * Server → client: `result`, `error`, `event`, `resync` frames.
 */
import { type Static, Type } from '@sinclair/typebox';
import { Nullable } from './common.js';
import type { ErrorCode } from './errors.js';
import { Me } from './users.js';

export const WS_PATH = '/api/v1/ws';
export const WS_MAX_FRAME_BYTES = 64 * 1024;

/** Close codes the server uses; each is documented in docs/protocol.md. */
export const CLOSE_CODES = {
  /** Normal shutdown of the server: reconnect (with backoff) and resume. */
  serviceRestart: 1012,
  /** A frame over WS_MAX_FRAME_BYTES. */
  tooLarge: 1009,
  /** No successful `hello` within the authentication timeout. */
  authTimeout: 4001,
  /** The session was revoked, logged out, or ended by a password change: sign in again. */
  sessionEnded: 4003,
  /** The client did not read fast enough and its outgoing buffer overflowed: reconnect and resume. */
  slowConsumer: 4008,
} as const;

export const CommandFrame = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 64 }),
    cmd: Type.String({ minLength: 1, maxLength: 64 }),
    params: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false },
);
export type CommandFrame = Static<typeof CommandFrame>;

export const HelloParams = Type.Object(
  {
    /** Session token; not needed when the upgrade carried the session cookie. */
    token: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    /** The `cursor` of the last event this client processed; omit or null on first connect. */
    cursor: Type.Optional(Nullable(Type.String({ maxLength: 32, pattern: '^[0-9]+$' }))),
  },
  { additionalProperties: false },
);
export type HelloParams = Static<typeof HelloParams>;

export const HelloResult = Type.Object({
  user: Me,
  sessionId: Type.String(),
  /**
   * `live`: no cursor given, events start now. `replayed`: the missed events follow this
   * reply in order. `resync`: too far behind — reload chats and history over REST.
   */
  replay: Type.Union([Type.Literal('live'), Type.Literal('replayed'), Type.Literal('resync')]),
  replayedCount: Type.Integer(),
  /** The newest cursor at the time of the reply. */
  cursor: Type.String(),
  heartbeatSeconds: Type.Integer(),
});
export type HelloResult = Static<typeof HelloResult>;

export interface ResultFrame<T = unknown> {
  type: 'result';
  id: string;
  result: T;
}

export interface ErrorFrame {
  type: 'error';
  /** null when the frame was so malformed its id could not be read. */
  id: string | null;
  error: { code: ErrorCode; message: string; details?: Record<string, unknown> };
}

export interface EventFrame<T = unknown> {
  type: 'event';
  event: EventName;
  /** Present on stored events: resume from here. Absent on ephemeral ones (typing, presence). */
  cursor?: string;
  data: T;
}

export interface ResyncFrame {
  type: 'resync';
  reason: 'too_far_behind' | 'cursor_unknown';
  cursor: string;
}

export type ServerFrame = ResultFrame | ErrorFrame | EventFrame | ResyncFrame;

/** Every event name. Stored events carry a cursor; `typing` and `presence` are ephemeral. */
export const EVENT_NAMES = [
  'message.created',
  'message.updated',
  'message.deleted',
  'reaction.changed',
  'chat.created',
  'chat.updated',
  'chat.deleted',
  'member.joined',
  'member.updated',
  'member.left',
  'read.updated',
  'user.updated',
  'typing',
  'presence',
] as const;
export type EventName = (typeof EVENT_NAMES)[number];

export const COMMAND_NAMES = [
  'hello',
  'ping',
  'chat.list',
  'chat.get',
  'chat.openDirect',
  'chat.create',
  'chat.update',
  'chat.delete',
  'chat.join',
  'chat.leave',
  'chat.transferOwnership',
  'chat.mute',
  'chat.rooms',
  'member.list',
  'member.add',
  'member.remove',
  'member.setRole',
  'message.history',
  'message.send',
  'message.edit',
  'message.delete',
  'message.forward',
  'message.seenBy',
  'reaction.add',
  'reaction.remove',
  'read.mark',
  'typing.start',
] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];
