/**
 * The fan-out bus across several server instances, on one Redis stream. Each instance
 * appends what it publishes (XADD, trimmed to about `maxLength` entries) and reads
 * everyone's entries back in stream order, skipping its own, which it has already
 * delivered in-process.
 *
 * Streams rather than pub/sub: pub/sub is at-most-once — a subscriber whose connection
 * drops loses everything published meanwhile. A stream keeps the entries, and the reader
 * continues from the id of the last entry it handled once it has reconnected, so nothing
 * is lost short of trimming (and the hub fills any gap in a stored stream from the event
 * log by `seq`).
 */

import type { StreamKey } from '@parley/protocol';
import { Redis } from 'ioredis';
import { type BusInterest, type BusMessage, type BusRoute, type EventBus, interested, routeOf } from './bus.js';

export interface RedisBusOptions {
  url: string;
  /** Names this instance in the entries it writes; must differ between instances. */
  instanceId: string;
  /** The stream key; tests use a random one to keep to themselves. */
  key?: string;
  /** Approximate cap on the stream's length (`XADD MAXLEN ~`). */
  maxLength?: number;
  /** Seconds between another instance's publish (by its clock) and its delivery here. */
  onLag?: (seconds: number) => void;
  log?: { warn(obj: object, msg: string): void };
}

const DEFAULT_KEY = 'parley:bus';
const DEFAULT_MAX_LENGTH = 100_000;
const READ_COUNT = 1000;
const READ_BLOCK_MS = 5000;
/**
 * A healthy Redis answers even a blocked XREAD within READ_BLOCK_MS, so a longer silence
 * while a reply is owed means a half-open socket (a vanished peer sends no reset). ioredis
 * then drops the socket, reconnects and resends what went unanswered; left to TCP, an
 * idle blocked read would wait for keepalive, which takes hours.
 */
const SOCKET_TIMEOUT_MS = 3 * READ_BLOCK_MS;
const RETRY_AFTER_ERROR_MS = 1000;
const QUIT_GRACE_MS = 500;

type Handler = (message: BusMessage) => void;

const consoleLog = { warn: (obj: object, msg: string) => console.warn(msg, obj) };

/** Resolves once both connections work and the reader knows where the stream ends. */
export async function createRedisBus(options: RedisBusOptions): Promise<EventBus> {
  const key = options.key ?? DEFAULT_KEY;
  const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;
  const { instanceId, onLag } = options;
  const log = options.log ?? consoleLog;
  const clientName = instanceId.replace(/[^\w.:-]/g, '_');

  // One connection carries every XADD of this instance, so they reach Redis in publish
  // order. Its default retry limit rejects queued XADDs after a long outage rather than
  // holding them in memory without bound.
  const publisher = new Redis(options.url, { connectionName: `parley-bus-publisher:${clientName}`, socketTimeout: SOCKET_TIMEOUT_MS });
  // The reader's XREAD blocks, so it cannot share a connection. With no retry limit a
  // pending XREAD survives any outage and is resent, with the same last id, on reconnect.
  // The resend is spelled out because without it ioredis drops the unanswered XREAD on
  // reconnect without ever settling its promise, and the read loop would hang for good.
  const reader = new Redis(options.url, {
    connectionName: `parley-bus-reader:${clientName}`,
    maxRetriesPerRequest: null,
    autoResendUnfulfilledCommands: true,
    socketTimeout: SOCKET_TIMEOUT_MS,
  });
  publisher.on('error', (error: Error) => log.warn({ err: error, key }, 'redis bus: publisher connection error'));
  reader.on('error', (error: Error) => log.warn({ err: error, key }, 'redis bus: reader connection error'));

  let lastId: string;
  try {
    // Not '$': the reader must go on from a fixed id, or entries appended between two
    // XREADs would be missed.
    const [last] = await publisher.xrevrange(key, '+', '-', 'COUNT', 1);
    lastId = last?.[0] ?? '0-0';
  } catch (error) {
    publisher.disconnect();
    reader.disconnect();
    throw error;
  }

  const handlers = new Map<Handler, BusInterest | undefined>();
  let closed = false;
  let wakeFromPause: (() => void) | null = null;

  function append(message: BusMessage): void {
    try {
      const json = JSON.stringify(message);
      publisher
        .xadd(key, 'MAXLEN', '~', maxLength, '*', 'from', instanceId, 'at', Date.now(), ...routeFields(message), 'message', json)
        .catch((error: unknown) => log.warn({ err: error, key, kind: message.kind }, 'redis bus: publish failed'));
    } catch (error) {
      log.warn({ err: error, key, kind: message.kind }, 'redis bus: publish failed');
    }
  }

  /** Runs a callback the bus does not own: its failure is logged, never thrown into the loop. */
  function guarded(callback: () => void, id: string, what: string): void {
    try {
      callback();
    } catch (error) {
      log.warn({ err: error, key, id }, `redis bus: ${what} failed`);
    }
  }

  function receive(id: string, fields: string[]): void {
    const entry = fieldsOf(fields);
    if (entry.get('from') === instanceId) return;
    const at = Number(entry.get('at'));
    if (onLag && Number.isFinite(at)) guarded(() => onLag((Date.now() - at) / 1000), id, 'the lag callback');
    // Most entries concern streams nobody here follows: decided from the route fields,
    // they are passed on without parsing the event.
    const route = routeFromFields(entry);
    const chosen = route ? interested(handlers, () => route) : [...handlers.keys()];
    if (chosen.length === 0) return;
    const message = parseMessage(entry.get('message'));
    if (!message) {
      log.warn({ key, id, from: entry.get('from') }, 'redis bus: skipped an entry that is not a bus message');
      return;
    }
    // One failing subscriber must stop neither the others nor the reader.
    for (const handler of chosen) guarded(() => handler(message), id, 'a subscriber');
  }

  async function pause(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wakeFromPause = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    wakeFromPause = null;
  }

  async function readLoop(): Promise<void> {
    while (!closed) {
      let reply: Awaited<ReturnType<typeof reader.xread>>;
      try {
        reply = await reader.xread('COUNT', READ_COUNT, 'BLOCK', READ_BLOCK_MS, 'STREAMS', key, lastId);
      } catch (error) {
        if (closed) return;
        log.warn({ err: error, key, lastId }, 'redis bus: reading the stream failed; retrying');
        await pause(RETRY_AFTER_ERROR_MS);
        continue;
      }
      for (const [, entries] of reply ?? []) {
        for (const [id, fields] of entries) {
          if (closed) return;
          lastId = id;
          receive(id, fields);
        }
      }
    }
  }

  // readLoop catches what it can foresee; this keeps anything else from becoming an
  // unhandled rejection, which would end the process.
  const reading = readLoop().catch((error: unknown) => log.warn({ err: error, key }, 'redis bus: the read loop stopped'));

  return {
    publish(message) {
      if (closed) return;
      // Local subscribers first, synchronously, as with the local bus; `finally` so that a
      // throwing subscriber cannot keep the message from the other instances.
      try {
        for (const handler of interested(handlers, () => routeOf(message))) handler(message);
      } finally {
        append(message);
      }
    },
    subscribe(handler, interest) {
      handlers.set(handler, interest);
      return () => handlers.delete(handler);
    },
    async close() {
      if (closed) return;
      closed = true;
      handlers.clear();
      wakeFromPause?.();
      // Disconnecting rejects the blocked XREAD at once instead of waiting out its BLOCK;
      // the grace only bounds close() should a read ever fail to settle.
      reader.disconnect();
      await withTimeout(reading, QUIT_GRACE_MS);
      // QUIT is queued behind the XADDs still in flight, so they are sent first; a Redis
      // that does not answer gets a short grace, then the socket is dropped.
      await withTimeout(
        publisher.quit().catch(() => undefined),
        QUIT_GRACE_MS,
      );
      publisher.disconnect();
    },
  };
}

/** The route of a message as entry fields, so receivers can pass on it unparsed. */
function routeFields(message: BusMessage): string[] {
  const route = routeOf(message);
  return ['kind', route.kind, 'stream', route.stream ?? '', 'name', route.name];
}

/** Null for an entry without route fields (written by an older instance): it is parsed. */
function routeFromFields(entry: Map<string, string>): BusRoute | null {
  const kind = entry.get('kind');
  const name = entry.get('name');
  if (!KINDS.has(kind) || name === undefined) return null;
  const stream = entry.get('stream');
  return { kind: kind as BusRoute['kind'], stream: stream ? (stream as StreamKey) : null, name };
}

/** XREAD gives an entry's fields as [name, value, name, value…]. */
function fieldsOf(fields: string[]): Map<string, string> {
  const entry = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) entry.set(fields[i] as string, fields[i + 1] as string);
  return entry;
}

const KINDS: ReadonlySet<unknown> = new Set<BusMessage['kind']>(['stored', 'ephemeral', 'control']);

/**
 * Only Parley instances write this stream, so a known `kind` is taken as the whole shape;
 * the check is there to survive a stray writer or a garbled entry, not to validate peers.
 */
function parseMessage(json: string | undefined): BusMessage | null {
  if (json === undefined) return null;
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null || !('kind' in value) || !KINDS.has(value.kind)) return null;
  return value as BusMessage;
}

async function withTimeout(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
