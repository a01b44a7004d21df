/**
 * The little the bench asks of Redis itself — is it there, which process is it (for its
 * CPU), and deleting the keys a cluster run leaves behind — over one short-lived RESP
 * connection. The servers under test use ioredis; the bench needs no client library for
 * three commands.
 */
import net from 'node:net';

/**
 * Database 15, not the default 0 the tests use: the bus stream (`parley:bus`) and the
 * presence keys are named after REDIS_KEY_PREFIX, the same for every server left at its
 * default, so instances on the same database of one Redis would hear each other's events
 * — a cluster test running beside the bench included.
 */
export const BENCH_REDIS_URL = process.env.PARLEY_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/15';

/**
 * What a cluster leaves in its Redis database: the bus stream, presence and rate-limit keys,
 * all named after REDIS_KEY_PREFIX (`parley` unless set), however the server spells them.
 */
export const PARLEY_KEYS_PATTERN = '*parley*';

export type RespValue = string | number | null | RespValue[] | Error;

/** Encodes a command as a RESP array of bulk strings. */
export function encodeCommand(args: string[]): string {
  return `*${args.length}\r\n${args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join('')}`;
}

/**
 * Parses one reply starting at `offset`: the value and where the next one starts, or
 * null when `data` does not hold a whole reply yet.
 */
export function parseReply(data: Buffer, offset = 0): { value: RespValue; next: number } | null {
  const lineEnd = data.indexOf('\r\n', offset);
  if (lineEnd < 0) return null;
  const type = String.fromCharCode(data[offset] ?? 0);
  const line = data.toString('utf8', offset + 1, lineEnd);
  const afterLine = lineEnd + 2;
  switch (type) {
    case '+':
      return { value: line, next: afterLine };
    case '-':
      return { value: new Error(line), next: afterLine };
    case ':':
      return { value: Number(line), next: afterLine };
    case '$': {
      const length = Number(line);
      if (length < 0) return { value: null, next: afterLine };
      if (data.length < afterLine + length + 2) return null;
      return { value: data.toString('utf8', afterLine, afterLine + length), next: afterLine + length + 2 };
    }
    case '*': {
      const count = Number(line);
      if (count < 0) return { value: null, next: afterLine };
      const items: RespValue[] = [];
      let next = afterLine;
      for (let i = 0; i < count; i++) {
        const item = parseReply(data, next);
        if (!item) return null;
        items.push(item.value);
        next = item.next;
      }
      return { value: items, next };
    }
    default:
      throw new Error(`not a RESP reply: ${JSON.stringify(data.toString('utf8', offset, Math.min(lineEnd, offset + 40)))}`);
  }
}

/** Runs commands in order on one connection (selecting the URL's database first); one reply each. */
export function redisCommands(url: string, commands: string[][], timeoutMs = 3000): Promise<RespValue[]> {
  const parsed = new URL(url);
  const database = parsed.pathname.replace(/^\//, '') || '0';
  const all = [['SELECT', database], ...commands];
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: parsed.hostname || '127.0.0.1', port: Number(parsed.port || 6379) });
    const timer = setTimeout(() => finish(new Error(`Redis at ${url} did not answer within ${timeoutMs} ms`)), timeoutMs);
    let buffered = Buffer.alloc(0);
    const replies: RespValue[] = [];
    const finish = (error: Error | null) => {
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(replies.slice(1));
    };
    socket.once('error', (error) => finish(error));
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      for (;;) {
        const reply = parseReply(buffered);
        if (!reply) break;
        buffered = buffered.subarray(reply.next);
        replies.push(reply.value);
      }
      const selected = replies[0];
      if (selected instanceof Error) finish(new Error(`Redis: SELECT ${database} failed: ${selected.message}`));
      else if (replies.length === all.length) finish(null);
    });
    socket.write(all.map(encodeCommand).join(''));
  });
}

export async function redisAvailable(url = BENCH_REDIS_URL): Promise<boolean> {
  try {
    const [pong] = await redisCommands(url, [['PING']]);
    return pong === 'PONG';
  } catch {
    return false;
  }
}

/** The Redis server's process id (from INFO), so its CPU can be read from /proc; null if unknown. */
export async function redisPid(url = BENCH_REDIS_URL): Promise<number | null> {
  const [info] = await redisCommands(url, [['INFO', 'server']]);
  const match = typeof info === 'string' ? /^process_id:(\d+)/m.exec(info) : null;
  return match ? Number(match[1]) : null;
}

/** Deletes what a cluster run left in the bench's Redis database (its own database: see BENCH_REDIS_URL). */
export async function deleteParleyKeys(url = BENCH_REDIS_URL): Promise<void> {
  let cursor = '0';
  do {
    const [page] = await redisCommands(url, [['SCAN', cursor, 'MATCH', PARLEY_KEYS_PATTERN, 'COUNT', '1000']]);
    if (!Array.isArray(page) || typeof page[0] !== 'string' || !Array.isArray(page[1])) throw new Error('Redis: unexpected SCAN reply');
    const keys = page[1].filter((key): key is string => typeof key === 'string');
    if (keys.length > 0) await redisCommands(url, [['DEL', ...keys]]);
    cursor = page[0];
  } while (cursor !== '0');
}
