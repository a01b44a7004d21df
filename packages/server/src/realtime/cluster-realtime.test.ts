/**
 * The real-time guarantees across instances: three servers on one PostgreSQL database,
 * sharing Redis (the Streams bus, presence, the send limiter), behind nginx running
 * deploy/nginx.conf. Every socket on every instance gets each stream gapless, in order and
 * once; a SIGKILLed instance's clients resume through nginx on the others without losing or
 * repeating anything, and presence tells their peers they went and came back; typing,
 * presence, the send limit and session ends reach sockets on other instances.
 *
 * What a socket receives is checked on the wire (every event and skip frame as it arrived,
 * over every connection), not only after the SDK, which silently drops duplicates.
 */
import { randomBytes } from 'node:crypto';
import { CLOSE_CODES, type HelloResult, type Message, WS_PATH } from '@parley/protocol';
import { createParleyClient, ParleyApiError, ParleyRealtime, type SocketLike, type StateDetail } from '@parley/sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { CLUSTER_AVAILABLE, type Cluster, type ClusterInstance, startCluster } from '../test/cluster.js';
import { REDIS_TEST_URL } from '../test/dialects.js';
import { rawSocket, settle, sleep } from '../test/realtime-client.js';
import { buildServer } from '../test/server-process.js';

/** How many times the 1,000-message test runs in a row (the issue asks for 20 without a failure). */
const REPEAT = Number(process.env.PARLEY_CLUSTER_REPEAT ?? '5');
if (!Number.isInteger(REPEAT) || REPEAT < 1) throw new Error(`PARLEY_CLUSTER_REPEAT must be a whole number ≥ 1, not ${REPEAT}`);

/**
 * The bus key and the presence keys are fixed names, so clusters of other suites running
 * at the same time on the same Redis database would share them — and an instance of theirs
 * may reap our SIGKILLed instance, announcing its users offline to nobody (their database
 * has none of our users). A Redis database of our own keeps these clusters to themselves.
 */
const CLUSTER_REDIS_DB = 11;
const clusterRedisUrl = () => {
  const url = new URL(REDIS_TEST_URL);
  url.pathname = `/${CLUSTER_REDIS_DB}`;
  return url.toString();
};

let counter = 0;
const clientId = () => `cr${Date.now().toString(36)}${(counter++).toString(36)}${randomBytes(2).toString('hex')}`;

async function register(baseUrl: string, name: string) {
  const username = `${name}${randomBytes(5).toString('hex')}`.slice(0, 32);
  const password = `pw-${randomBytes(10).toString('hex')}`;
  const client = createParleyClient({ baseUrl });
  const result = await client.auth.register({ email: `${username}@example.org`, username, password });
  return { client, user: result.user, token: result.token, username, password };
}
type Person = Awaited<ReturnType<typeof register>>;

/** One frame as it came off a socket, kept small: a run holds hundreds of thousands. */
interface Received {
  /** Which connection of the device: 1 for the first, 2 after the first reconnect… */
  connection: number;
  event: string;
  stream?: string;
  seq?: number;
  message?: { id: string; chatId: string; seq: number; clientId: string | null };
  presence?: { userId: string; online: boolean };
  typing?: { chatId: string; userId: string };
  /** The hello reply that opens a connection, with the positions that hello resumed from. */
  hello?: { positions: Record<string, number>; heads: Record<string, number>; reload: string[]; replayedCount: number };
}

function summarise(connection: number, frame: Record<string, unknown>): Received | null {
  if (frame.type === 'skip') return { connection, event: 'skip', stream: String(frame.stream), seq: Number(frame.seq) };
  if (frame.type !== 'event') return null;
  const received: Received = { connection, event: String(frame.event) };
  if (typeof frame.stream === 'string') received.stream = frame.stream;
  if (typeof frame.seq === 'number') received.seq = frame.seq;
  const data = frame.data as { message?: Message; userId?: string; online?: boolean; chatId?: string } | undefined;
  if (frame.event === 'message.created' && data?.message) {
    const { id, chatId, seq, clientId } = data.message;
    received.message = { id, chatId, seq, clientId };
  }
  if (frame.event === 'presence' && data?.userId !== undefined && data.online !== undefined)
    received.presence = { userId: data.userId, online: data.online };
  if (frame.event === 'typing' && data?.userId !== undefined && data.chatId !== undefined)
    received.typing = { chatId: data.chatId, userId: data.userId };
  return received;
}

interface Device {
  person: Person;
  rt: ParleyRealtime;
  /** The reply to the first hello. */
  hello: HelloResult;
  /** Every event and skip frame received, in arrival order, over all connections. */
  wire: Received[];
  /** What the SDK handed to listeners. */
  delivered: Received[];
  /** One entry per successful hello after the first: what the reconnect said. */
  reopened: StateDetail[];
  /** While true, the device's network is "down": sockets go to a port nobody listens on. */
  offline: boolean;
  close(): void;
}

/** A closed port on this machine: a connection there is refused at once. */
const REFUSING_URL = `ws://127.0.0.1:1${WS_PATH}`;

async function connect(baseUrl: string, person: Person, options: { reconnect?: boolean } = {}): Promise<Device> {
  let connections = 0;
  const device = {
    person,
    wire: [] as Received[],
    delivered: [] as Received[],
    reopened: [] as StateDetail[],
    offline: false,
  };
  const rt: ParleyRealtime = new ParleyRealtime({
    baseUrl,
    token: person.token,
    reconnect: options.reconnect ?? false,
    createSocket: (url) => {
      connections += 1;
      const connection = connections;
      // What this connection's hello will resume from: the SDK's positions as it opens.
      const positions = { ...rt.positions };
      const ws = new WebSocket(device.offline ? REFUSING_URL : url);
      ws.on('message', (raw) => {
        const frame = JSON.parse(String(raw)) as Record<string, unknown>;
        const hello = frame.type === 'result' ? (frame.result as Partial<HelloResult> | undefined) : undefined;
        if (hello?.sessionId !== undefined && hello.streams && hello.reload && hello.replayedCount !== undefined) {
          const { streams: heads, reload, replayedCount } = hello;
          device.wire.push({ connection, event: 'hello', hello: { positions, heads, reload, replayedCount } });
          return;
        }
        const received = summarise(connection, frame);
        if (received) device.wire.push(received);
      });
      return ws as unknown as SocketLike;
    },
  });
  rt.on('*', (_data, frame) => {
    const received = summarise(connections, frame as unknown as Record<string, unknown>);
    if (received) device.delivered.push(received);
  });
  let opened = 0;
  rt.onState((state, detail) => {
    if (state === 'open' && ++opened > 1) device.reopened.push(detail ?? {});
  });
  const hello = await rt.connect();
  return Object.assign(device, { rt, hello, close: () => rt.close() });
}

/** `parley_sockets` of every running instance, read at the instance itself (nginx refuses /metrics). */
async function socketsPerInstance(cluster: Cluster): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const instance of cluster.instances.filter((i) => i.running)) {
    const text = await (await fetch(`${instance.url}/metrics`)).text();
    const match = /^parley_sockets(?:\{[^}]*\})? (\d+)$/m.exec(text);
    counts.set(instance.id, Number(match?.[1] ?? Number.NaN));
  }
  return counts;
}

/** Connects one device and names the instance its socket landed on (the one whose socket count rose). */
async function connectAndLocate(cluster: Cluster, baseUrl: string, person: Person, options: { reconnect?: boolean } = {}) {
  const before = await socketsPerInstance(cluster);
  const device = await connect(baseUrl, person, options);
  const after = await socketsPerInstance(cluster);
  const grown = [...after].filter(([id, count]) => count !== before.get(id));
  const [landed] = grown;
  if (grown.length !== 1 || !landed || landed[1] !== (before.get(landed[0]) ?? 0) + 1)
    throw new Error(`cannot tell where the socket landed: before ${JSON.stringify([...before])}, after ${JSON.stringify([...after])}`);
  return { device, instance: landed[0] };
}

function instance(cluster: Cluster, index: number): ClusterInstance {
  const found = cluster.instances[index];
  if (!found) throw new Error(`the cluster has no instance ${index + 1}`);
  return found;
}

/** Resolves with `work`, or fails after `timeoutMs` saying what was still missing. */
async function withDeadline<T>(work: Promise<T>, timeoutMs: number, describe: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms: ${describe()}`)), timeoutMs);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** The instances' log lines at pino's warn level or above, for failure messages. */
function serverWarnings(cluster: Cluster): string {
  const lines = cluster.instances.flatMap((member) =>
    member.output.flatMap((line) => {
      try {
        return ((JSON.parse(line) as { level?: number }).level ?? 0) >= 40 ? [`${member.id}: ${line}`] : [];
      } catch {
        return [`${member.id}: ${line}`];
      }
    }),
  );
  return lines.length ? `server warnings:\n${lines.join('\n')}` : 'no server warnings';
}

async function waitUntil(condition: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${describe()}`);
    await sleep(20);
  }
}

/**
 * Every place where a stream's positions on the wire did not go up by exactly one. Each
 * connection starts where its hello said: the first from the heads (a stream created
 * later starts at 0), a reconnect from the positions it resumed from (a reloaded stream
 * from its head); frames still arriving on a connection the SDK had already given up are
 * not its to answer for. Empty when every stream arrived gapless and without duplicates,
 * replays after reconnects included. Each break says whether it was in a replay or live.
 */
function streamBreaks(device: Device, where: string): string[] {
  const breaks: string[] = [];
  let last = new Map<string, number>();
  let current = 0;
  let replayLeft = 0;
  for (const frame of device.wire) {
    if (frame.connection < current) continue;
    if (frame.hello) {
      const { positions, heads, reload, replayedCount } = frame.hello;
      current = frame.connection;
      last = new Map(Object.entries(current === 1 ? heads : positions));
      for (const stream of reload) last.set(stream, heads[stream] ?? 0);
      replayLeft = replayedCount;
      continue;
    }
    if (frame.stream === undefined || frame.seq === undefined) continue;
    const phase = replayLeft > 0 ? 'replay' : 'live';
    replayLeft = Math.max(0, replayLeft - 1);
    const previous = last.get(frame.stream) ?? 0;
    if (frame.seq !== previous + 1)
      breaks.push(`${where}: ${frame.stream} went ${previous} → ${frame.seq} (connection ${frame.connection}, ${phase})`);
    last.set(frame.stream, Math.max(previous, frame.seq));
  }
  return breaks;
}

const messageSeqs = (frames: Received[], chatId: string) =>
  frames.flatMap((f) => (f.event === 'message.created' && f.message?.chatId === chatId ? [f.message.seq] : []));
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** The SDK's warnings about a stream that skipped a position (it then reconnects). */
function gapWarnings(calls: unknown[][]): string[] {
  return calls.map((call) => String(call[0])).filter((text) => text.startsWith('[parley] stream'));
}

describe.skipIf(!CLUSTER_AVAILABLE)('real-time delivery across three instances behind nginx', () => {
  let cluster: Cluster;
  let devices: Device[] = [];
  beforeAll(async () => {
    buildServer();
    cluster = await startCluster({
      instances: 3,
      env: { REDIS_URL: clusterRedisUrl(), WS_SEND_BURST: '100000', WS_SEND_RATE_PER_SECOND: '100000' },
    });
  }, 120_000);
  afterEach(() => {
    for (const device of devices) device.close();
    devices = [];
    vi.restoreAllMocks();
  });
  afterAll(() => cluster?.close(), 60_000);

  it(`gives every member socket on every instance each message of 1,000 concurrent sends exactly once, in seq order, ${REPEAT} time(s) in a row`, {
    timeout: 30_000 + REPEAT * 60_000,
  }, async () => {
    const warn = vi.spyOn(console, 'warn');
    const people = await Promise.all(Array.from({ length: 10 }, (_, i) => register(cluster.url, `order${i}`)));
    // Seven through nginx (least_conn spreads sockets that stay open), then one directly at
    // each instance, so all three hold several members whatever nginx chose.
    const placed: Array<{ device: Device; instance: string; via: 'nginx' | 'direct' }> = [];
    for (const [i, person] of people.entries()) {
      const target = i < 7 ? null : instance(cluster, i - 7);
      // Reconnecting like a real client: a gap makes the SDK resume, and the wire shows it.
      const { device, instance: landed } = await connectAndLocate(cluster, target?.url ?? cluster.url, person, { reconnect: true });
      placed.push({ device, instance: landed, via: target ? 'direct' : 'nginx' });
      if (target) expect(landed).toBe(target.id);
    }
    devices = placed.map((p) => p.device);
    expect(new Set(placed.filter((p) => p.via === 'nginx').map((p) => p.instance))).toEqual(
      new Set(['instance-1', 'instance-2', 'instance-3']),
    );
    const perInstance = await socketsPerInstance(cluster);
    for (const id of ['instance-1', 'instance-2', 'instance-3']) expect(perInstance.get(id)).toBeGreaterThanOrEqual(3);

    const [owner, ...others] = devices;
    if (!owner) throw new Error('no owner');
    const timings: number[] = [];
    for (let repetition = 1; repetition <= REPEAT; repetition += 1) {
      const started = Date.now();
      const group = await owner.rt.call<{ id: string }>('chat.create', {
        kind: 'group',
        name: `Ordering ${repetition}`,
        memberIds: others.map((d) => d.person.user.id),
      });
      // Sent at once, without waiting for the members' sockets to follow the new chat.
      const acks = await withDeadline(
        Promise.all(
          devices.map((device, d) =>
            Promise.all(
              Array.from({ length: 100 }, (_, i) =>
                device.rt.sendMessage({ chatId: group.id, clientId: clientId(), text: `r${repetition} d${d} #${i}` }),
              ),
            ),
          ),
        ),
        45_000,
        () =>
          `repetition ${repetition}: unsent per member ${devices.map((d) => d.rt.unsent.length).join(', ')}; ${serverWarnings(cluster)}`,
      );
      const acked = acks
        .flat()
        .map((m) => m.seq)
        .sort((a, b) => a - b);
      const last = acked.at(-1) ?? 0;
      expect(acked).toEqual(range(last - 999, last));
      // Commands of one socket run in order, so each client's messages keep its order.
      for (const list of acks) expect(list.map((m) => m.seq)).toEqual([...list.map((m) => m.seq)].sort((a, b) => a - b));

      await waitUntil(
        () => devices.every((d) => messageSeqs(d.delivered, group.id).length >= last),
        45_000,
        () =>
          `repetition ${repetition}: message counts per member ${devices
            .map((d, i) => `${placed[i]?.instance}:${messageSeqs(d.delivered, group.id).length}`)
            .join(', ')} of ${last}`,
      );
      await settle(200);
      const where = (i: number) => `repetition ${repetition}, ${devices[i]?.person.username} on ${placed[i]?.instance}`;
      expect(
        devices.flatMap((device, i) => streamBreaks(device, where(i))),
        serverWarnings(cluster),
      ).toEqual([]);
      for (const [i, device] of devices.entries()) {
        expect(messageSeqs(device.wire, group.id), where(i)).toEqual(range(1, last));
        expect(messageSeqs(device.delivered, group.id), where(i)).toEqual(range(1, last));
        expect(device.reopened, where(i)).toEqual([]);
      }
      timings.push(Date.now() - started);
    }
    expect(gapWarnings(warn.mock.calls)).toEqual([]);
    console.info(
      `[cluster-realtime] ${REPEAT} repetition(s) of 1,000 messages: ${timings.join(', ')} ms (mean ${Math.round(
        timings.reduce((a, b) => a + b, 0) / timings.length,
      )} ms)`,
    );
  });
});

describe.skipIf(!CLUSTER_AVAILABLE)('real-time delivery when one of three instances is SIGKILLed', () => {
  let cluster: Cluster;
  let devices: Device[] = [];
  beforeAll(async () => {
    buildServer();
    cluster = await startCluster({
      instances: 3,
      env: { REDIS_URL: clusterRedisUrl(), WS_SEND_BURST: '100000', WS_SEND_RATE_PER_SECOND: '100000' },
    });
  }, 120_000);
  afterAll(async () => {
    for (const device of devices) device.close();
    vi.restoreAllMocks();
    await cluster?.close();
  }, 60_000);

  it('loses and repeats nothing for any member, resumes the dead instance’s clients through nginx, and shows its users offline then back', {
    timeout: 120_000,
  }, async () => {
    const warn = vi.spyOn(console, 'warn');
    const people = await Promise.all(Array.from({ length: 9 }, (_, i) => register(cluster.url, `kill${i}`)));
    const [owner, ...others] = people;
    if (!owner) throw new Error('no owner');
    const group = await owner.client.chats.create({ kind: 'group', name: 'Failover', memberIds: others.map((p) => p.user.id) });
    // The system messages of the creation are history before anyone connects.
    const seqBeforeConnecting = (await owner.client.messages.history(group.id)).items.at(-1)?.seq ?? 0;
    // All through nginx, so the victim's clients can reconnect through it to the others.
    const placed: Array<{ device: Device; instance: string }> = [];
    for (const person of people) placed.push(await connectAndLocate(cluster, cluster.url, person, { reconnect: true }));
    devices = placed.map((p) => p.device);
    const victim = instance(cluster, 1);
    const onVictim = placed.filter((p) => p.instance === victim.id).map((p) => p.device);
    const survivors = placed.filter((p) => p.instance !== victim.id).map((p) => p.device);
    // least_conn with every socket still open: three on each instance.
    expect(onVictim).toHaveLength(3);
    // Two of the victim's clients lose their network with it and stay away until the dead
    // instance has been reaped (its users announced offline); the third reconnects at once.
    const [awayA, awayB, returning] = onVictim;
    if (!awayA || !awayB || !returning) throw new Error('not three clients on the victim');
    const away = [awayA, awayB];
    const awayIds = new Set(away.map((d) => d.person.user.id));

    const acks: Array<Promise<Message>> = [];
    let sending = true;
    const senders = devices.map(async (device, d) => {
      for (let i = 0; sending; i += 1) {
        acks.push(device.rt.sendMessage({ chatId: group.id, clientId: clientId(), text: `d${d} #${i}` }));
        await sleep(250);
      }
    });
    await sleep(1500);
    for (const device of away) device.offline = true;
    const presenceFrom = new Map(survivors.map((d) => [d, d.wire.length]));
    expect(await victim.kill('SIGKILL')).toEqual({ code: null, signal: 'SIGKILL' });
    const presenceAfterKill = (device: Device) => device.wire.slice(presenceFrom.get(device) ?? 0).flatMap((f) => f.presence ?? []);

    // The dead instance stops heartbeating; within its TTL (6 s) plus a reap interval (2 s)
    // a survivor announces its users offline — but not the one who already came back.
    await waitUntil(
      () => survivors.every((d) => away.every((a) => presenceAfterKill(d).some((p) => p.userId === a.person.user.id && !p.online))),
      15_000,
      () => `presence seen by the survivors: ${JSON.stringify(survivors.map(presenceAfterKill))}`,
    );
    await waitUntil(
      () => returning.reopened.length > 0,
      10_000,
      () => 'the client that kept its network never reconnected',
    );
    await sleep(1000);
    for (const device of away) device.offline = false;
    // As a browser does when the network is back; a refused attempt may be under way, so again until open.
    const deadline = Date.now() + 10_000;
    while (away.some((d) => d.reopened.length === 0) && Date.now() < deadline) {
      for (const device of away) device.rt.reconnectNow();
      await sleep(50);
    }
    expect(away.map((d) => d.reopened.length)).toEqual([1, 1]);
    await sleep(1500);
    sending = false;
    await Promise.all(senders);
    const messages = await withDeadline(
      Promise.all(acks),
      30_000,
      () => `unsent per member ${devices.map((d) => d.rt.unsent.length).join(', ')}; ${serverWarnings(cluster)}`,
    );

    // Every acknowledged message reached every member, whichever instance it was sent to.
    const ackedIds = new Set(messages.map((m) => m.id));
    await waitUntil(
      () => devices.every((d) => d.delivered.filter((f) => f.message && ackedIds.has(f.message.id)).length >= ackedIds.size),
      20_000,
      () =>
        `acked messages received: ${devices.map((d) => d.delivered.filter((f) => f.message && ackedIds.has(f.message.id)).length).join(', ')} of ${ackedIds.size}`,
    );
    await settle(300);

    // Each one exactly once: a send retried after the kill (same clientId) made no second message.
    const history: Message[] = [];
    for (let page = await owner.client.messages.history(group.id, { after: 0, limit: 200 }); ; ) {
      history.push(...page.items);
      const newest = page.items.at(-1);
      if (!page.hasNewer || !newest) break;
      page = await owner.client.messages.history(group.id, { after: newest.seq, limit: 200 });
    }
    const texts = history.filter((m) => m.kind === 'text');
    expect(texts.map((m) => m.id).sort()).toEqual([...ackedIds].sort());
    expect(new Set(texts.map((m) => m.clientId)).size).toBe(texts.length);
    const newestSeq = history.at(-1)?.seq ?? 0;

    for (const [i, device] of devices.entries()) {
      const where = `${device.person.username}, first on ${placed[i]?.instance}`;
      expect(streamBreaks(device, where), serverWarnings(cluster)).toEqual([]);
      expect(messageSeqs(device.wire, group.id), where).toEqual(range(seqBeforeConnecting + 1, newestSeq));
      expect(messageSeqs(device.delivered, group.id), where).toEqual(range(seqBeforeConnecting + 1, newestSeq));
    }
    // The victim's clients resumed by replay (nothing reloaded), on the survivors, through nginx.
    for (const device of onVictim) expect(device.reopened.map((r) => [r.replay, r.reload])).toEqual([['replayed', []]]);
    for (const device of survivors) expect(device.reopened).toEqual([]);
    const sockets = await socketsPerInstance(cluster);
    expect([...sockets.keys()].sort()).toEqual(['instance-1', 'instance-3']);
    expect([...sockets.values()].reduce((a, b) => a + b, 0)).toBe(devices.length);

    // Offline then online again for those who were away; the one who came back at once never went offline.
    for (const device of survivors) {
      const seen = presenceAfterKill(device);
      for (const userId of awayIds) expect(seen.filter((p) => p.userId === userId).map((p) => p.online)).toEqual([false, true]);
      expect(seen.filter((p) => p.userId === returning.person.user.id)).toEqual([]);
    }
    expect(gapWarnings(warn.mock.calls)).toEqual([]);
  });
});

describe.skipIf(!CLUSTER_AVAILABLE)('typing, presence, the send limit and session ends across instances', () => {
  let cluster: Cluster;
  let devices: Device[] = [];
  beforeAll(async () => {
    buildServer();
    cluster = await startCluster({
      instances: 3,
      env: { REDIS_URL: clusterRedisUrl(), WS_SEND_BURST: '6', WS_SEND_RATE_PER_SECOND: '1', PRESENCE_GRACE_MS: '200' },
    });
  }, 120_000);
  afterEach(() => {
    for (const device of devices) device.close();
    devices = [];
  });
  afterAll(() => cluster?.close(), 60_000);

  it('delivers typing on instance 1 to a member on instance 2 and not to the typer', async () => {
    const [typer, reader] = await Promise.all([register(cluster.url, 'typer'), register(cluster.url, 'reader')]);
    const group = await typer.client.chats.create({ kind: 'group', name: 'Typing', memberIds: [reader.user.id] });
    const typerDevice = await connect(instance(cluster, 0).url, typer);
    const readerDevice = await connect(instance(cluster, 1).url, reader);
    devices = [typerDevice, readerDevice];
    await typerDevice.rt.call('typing.start', { chatId: group.id });
    await waitUntil(
      () => readerDevice.wire.some((f) => f.typing !== undefined),
      5000,
      () => 'no typing event on instance 2',
    );
    await settle(300);
    expect(readerDevice.wire.flatMap((f) => f.typing ?? [])).toEqual([{ chatId: group.id, userId: typer.user.id }]);
    expect(typerDevice.wire.filter((f) => f.event === 'typing')).toEqual([]);
  });

  it('tells a watcher on instance 1 that a user on instance 3 came online and, after the grace, went offline', async () => {
    const [watcher, visitor] = await Promise.all([register(cluster.url, 'watcher'), register(cluster.url, 'visitor')]);
    await watcher.client.chats.create({ kind: 'group', name: 'Presence', memberIds: [visitor.user.id] });
    const watcherDevice = await connect(instance(cluster, 0).url, watcher);
    devices = [watcherDevice];
    const visitorDevice = await connect(instance(cluster, 2).url, visitor);
    const presenceOfVisitor = () => watcherDevice.wire.flatMap((f) => (f.presence?.userId === visitor.user.id ? [f.presence.online] : []));
    await waitUntil(
      () => presenceOfVisitor().length >= 1,
      5000,
      () => 'no presence event for the visitor',
    );
    visitorDevice.close();
    await waitUntil(
      () => presenceOfVisitor().length >= 2,
      5000,
      () => `presence of the visitor: ${JSON.stringify(presenceOfVisitor())}`,
    );
    await settle(300);
    expect(presenceOfVisitor()).toEqual([true, false]);
  });

  it('counts one user’s sends on instances 1 and 2 against one limit: 4 + 4 sends within a burst of 6 refuse the last 2', async () => {
    const sender = await register(cluster.url, 'limited');
    const chat = await sender.client.chats.create({ kind: 'group', name: 'Limited' });
    const first = await connect(instance(cluster, 0).url, sender);
    const second = await connect(instance(cluster, 1).url, sender);
    devices = [first, second];
    const outcome = (device: Device) =>
      device.rt.sendMessage({ chatId: chat.id, clientId: clientId(), text: 'burst' }).then(
        () => 'sent',
        (error: unknown) => (error instanceof ParleyApiError ? error.code : String(error)),
      );
    // Each socket alone stays within the burst; only a limit shared through Redis refuses any.
    const onFirst = [];
    for (let i = 0; i < 4; i += 1) onFirst.push(await outcome(first));
    const onSecond = [];
    for (let i = 0; i < 4; i += 1) onSecond.push(await outcome(second));
    expect(onFirst).toEqual(['sent', 'sent', 'sent', 'sent']);
    expect(onSecond).toEqual(['sent', 'sent', 'rate_limited', 'rate_limited']);
  });

  it('closes the socket on instance 2 with 4003 when its session is revoked over REST on instance 1, leaving the other session’s socket open', async () => {
    const person = await register(cluster.url, 'revoked');
    const other = await createParleyClient({ baseUrl: cluster.url }).auth.login({ login: person.username, password: person.password });
    const doomed = await rawSocket(instance(cluster, 1).url);
    doomed.send(JSON.stringify({ id: 'h', cmd: 'hello', params: { token: other.token } }));
    const hello = (await doomed.reply('h')) as { result?: { sessionId?: string } };
    const kept = await rawSocket(instance(cluster, 2).url);
    kept.send(JSON.stringify({ id: 'h', cmd: 'hello', params: { token: person.token } }));
    expect(await kept.reply('h')).toMatchObject({ type: 'result' });
    const sessionId = hello.result?.sessionId ?? '';
    expect(sessionId).not.toBe('');

    await createParleyClient({ baseUrl: instance(cluster, 0).url, token: person.token }).auth.revokeSession(sessionId);
    const closed = await Promise.race([doomed.whenClosed, sleep(5000).then(() => null)]);
    expect(closed?.code).toBe(CLOSE_CODES.sessionEnded);
    await settle(300);
    expect(kept.closed()).toBeNull();
    kept.ws.close();
  });
});
