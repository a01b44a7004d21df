/**
 * The WebSocket protocol (`/api/v1/ws`), described in full in docs/protocol.md.
 * Client → server: command frames `{id, cmd, params}`; every one gets exactly one reply.
 * Server → client: `result`, `error`, `event`, `skip` frames.
 */
import { type Static, Type } from '@sinclair/typebox';
import { SafeInteger } from './common.js';
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

/**
 * A stream of stored events, numbered 1, 2, 3… without gaps: `c:<chatId>` holds what the
 * members of that chat see; `u:<userId>` what is about that user alone (profile, mute). Each stream is ordered on its own; there is no global order.
 */
export type StreamKey = `c:${string}` | `u:${string}`;
export const chatStream = (chatId: string): StreamKey => `c:${chatId}`;
export const userStream = (userId: string): StreamKey => `u:${userId}`;
/** The chat id of a `c:` stream, or null for a user stream. */
export const chatOfStream = (stream: string): string | null => (stream.startsWith('c:') ? stream.slice(2) : null);

const STREAM_KEY_PATTERN = '^[cu]:[A-Za-z0-9-]{1,64}$';
/** At most this many positions in one hello (a hello frame stays far below WS_MAX_FRAME_BYTES). */
export const HELLO_MAX_STREAMS = 1200;

export const HelloParams = Type.Object(
  {
    /** Session token; not needed when the upgrade carried the session cookie. */
    token: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    /**
     * Resume: the `seq` of the last event (or skip) processed in each stream you follow.
     * Omit on a first connect. Chats you are in but do not list are reported in `reload`.
     */
    streams: Type.Optional(
      Type.Record(Type.String({ pattern: STREAM_KEY_PATTERN }), SafeInteger(), {
        maxProperties: HELLO_MAX_STREAMS,
        // A key that is not a stream is refused, not ignored.
        additionalProperties: false,
      }),
    ),
  },
  { additionalProperties: false },
);
export type HelloParams = Static<typeof HelloParams>;

export const HelloResult = Type.Object({
  user: Me,
  sessionId: Type.String(),
  /**
   * `live`: no positions given; events start now, load state over REST. `replayed`: the
   * missed events of every stream not in `reload` follow this reply, each stream in order.
   */
  replay: Type.Union([Type.Literal('live'), Type.Literal('replayed')]),
  replayedCount: SafeInteger(),
  /** The head of each of your streams when the reply was made. */
  streams: Type.Record(Type.String(), SafeInteger()),
  /**
   * Streams that are not replayed: history no longer reaches your position, more than
   * RESUME_MAX_EVENTS were missed, or the chat is new to you. Reload that chat (`c:`) or
   * your profile and chat list (`u:`) over REST and continue from its head in `streams`.
   */
  reload: Type.Array(Type.String()),
  /** Chats you listed that you are no longer a member of (left, removed or deleted). */
  gone: Type.Array(Type.String()),
  heartbeatSeconds: SafeInteger(),
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
  /** Present on stored events: the stream and the position in it. Absent on typing and presence. */
  stream?: StreamKey;
  seq?: number;
  data: T;
}

/** A position in a stream passed with an event you may not see (a private message between two others). */
export interface SkipFrame {
  type: 'skip';
  stream: StreamKey;
  seq: number;
}

export type ServerFrame = ResultFrame | ErrorFrame | EventFrame | SkipFrame;

/** Every event name. Stored events carry a stream and seq; `typing` and `presence` are ephemeral. */
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
  'delivered.updated',
  'user.updated',
  'notifications.updated',
  'contact.updated',
  'privacy.updated',
  'notification.created',
  'notification.read',
  'notification.removed',
  'chat.organised',
  'message.pinned',
  'message.unpinned',
  'draft.updated',
  'poll.updated',
  'scheduled.updated',
  'reminder.updated',
  'thread.updated',
  'message.preview',
  'emoji.updated',
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
  'message.search',
  'gallery.list',
  'chat.setAvatar',
  'reaction.add',
  'reaction.remove',
  'read.mark',
  'delivered.mark',
  'typing.start',
  'contact.list',
  'contact.request',
  'contact.accept',
  'contact.decline',
  'contact.cancel',
  'contact.remove',
  'contact.update',
  'contact.block',
  'contact.unblock',
  'profile.get',
  'privacy.get',
  'privacy.update',
  'presence.set',
  'notification.list',
  'notification.read',
  'notification.clear',
  'chat.organisation',
  'chat.pin',
  'chat.pinOrder',
  'chat.archive',
  'message.pins',
  'message.pin',
  'message.unpin',
  'draft.list',
  'draft.save',
  'poll.create',
  'poll.get',
  'poll.vote',
  'poll.close',
  'scheduled.create',
  'scheduled.list',
  'scheduled.update',
  'scheduled.cancel',
  'reminder.create',
  'reminder.list',
  'reminder.cancel',
  'thread.list',
  'thread.get',
  'thread.replies',
  'thread.markRead',
  'thread.follow',
  'message.removePreview',
  'emoji.list',
] as const;
export type CommandName = (typeof COMMAND_NAMES)[number];
