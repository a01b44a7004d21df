/**
 * Scenario 1, fanout: one sender into a room at the highest rate the server sustains.
 * The sender keeps a fixed number of messages ahead of the slowest full client (the
 * last ones in every broadcast loop), so the server is always busy but its buffers stay
 * bounded. Measured: deliveries per second and the server's CPU time per delivery.
 */
import { type BenchContext, quiesce, rotate, sleep, type WindowProfiler, waitUntil, windowProfiler } from '../context.js';
import { messageText, parseMessageText } from '../message-text.js';
import { startCpuWindow, windowShares } from '../proc.js';
import { CaseCollector, type CaseResult, GENERATOR_SHARE } from '../results.js';
import type { Summary } from '../stats.js';
import type { Member, WireKind } from '../wire/light.js';
import { connectRoom, type RoomVenue, roomMembers, serverVenue } from './room.js';
import { ROOM_TARGETS, startRoomTargets } from './targets.js';

const NO_PROFILE: WindowProfiler = { start: async () => undefined, stop: async () => undefined };

export interface FanoutOptions {
  warmupMs: number;
  durationMs: number;
  fullClients: number;
  windowDeliveries: number;
}

/** One measurement: connect the room, send flat out, count, disconnect. */
export async function measureFanout(
  kind: WireKind,
  venue: RoomVenue,
  members: Member[],
  options: FanoutOptions,
  profiler: WindowProfiler = NO_PROFILE,
): Promise<Record<string, number>> {
  const highest = new Array<number>(options.fullClients).fill(-1);
  const window = Math.max(2, Math.ceil(options.windowDeliveries / (members.length - 1)));
  let sent = 0;
  let running = false;
  const slowest = () => Math.min(...highest);
  const pump = () => {
    if (!running) return;
    while (sent - 1 - slowest() < window) room.sender.send(messageText(sent++, performance.now()));
  };
  const room = await connectRoom(kind, venue, members, options.fullClients, (i, text) => {
    const parsed = parseMessageText(text);
    if (parsed && parsed.index > (highest[i] ?? -1)) highest[i] = parsed.index;
    pump();
  });
  try {
    running = true;
    pump();
    await sleep(options.warmupMs);
    await profiler.start();
    const deliveries0 = room.deliveries();
    const messages0 = slowest();
    const endWindow = startCpuWindow(venue.pids, { cores: venue.cores, side: venue.side });
    let lastProgress = messages0;
    const deadline = performance.now() + options.durationMs;
    while (performance.now() < deadline) {
      await sleep(Math.min(250, Math.max(1, deadline - performance.now())));
      if (slowest() === lastProgress && room.sender.failed > 0) throw new Error(`${kind}: sends are failing (${room.sender.failed})`);
      lastProgress = slowest();
    }
    const cpu = endWindow();
    const deliveries = room.deliveries() - deliveries0;
    const messages = slowest() - messages0;
    running = false;
    await profiler.stop();
    await waitUntil(() => slowest() >= sent - 1, 10_000);
    if (deliveries <= 0) throw new Error(`${kind}: no deliveries in the measured window`);
    return {
      deliveriesPerSecond: deliveries / (cpu.wallMs / 1000),
      messagesPerSecond: messages / (cpu.wallMs / 1000),
      serverMicrosPerDelivery: cpu.serverCpuMicros / deliveries,
      deliveriesPerCoreSecond: (deliveries * 1e6) / cpu.serverCpuMicros,
      bytesPerDelivery: room.bytesPerDelivery(),
      ...windowShares(cpu),
    };
  } finally {
    running = false;
    room.close();
  }
}

export async function runFanout(ctx: BenchContext): Promise<CaseResult[]> {
  const sizes = ctx.sizes.fanoutRooms;
  const targets = await startRoomTargets(ctx, 'fanout', sizes);
  try {
    const collectors = new Map(
      sizes.map((size) => [
        size,
        new CaseCollector(
          'fanout',
          `room of ${size}`,
          `One sender, ${size - 1} receivers (${ctx.sizes.fullClients} full clients, the rest light), sending as fast as the server ` +
            `delivers, up to ${ctx.sizes.fanoutWindowDeliveries.toLocaleString('en-US')} deliveries ahead of the slowest full client.`,
          [
            { key: 'deliveriesPerSecond', label: 'deliveries/s', unit: 'per-second' },
            { key: 'messagesPerSecond', label: 'messages/s', unit: 'per-second' },
            { key: 'serverMicrosPerDelivery', label: 'server CPU-µs/delivery', unit: 'micros' },
            { key: 'deliveriesPerCoreSecond', label: 'deliveries per server CPU-second', unit: 'per-second' },
            { key: 'bytesPerDelivery', label: 'bytes/delivery', unit: 'bytes' },
          ],
        ),
      ]),
    );
    const options: FanoutOptions = {
      warmupMs: ctx.warmupMs,
      durationMs: ctx.durationMs,
      fullClients: ctx.sizes.fullClients,
      windowDeliveries: ctx.sizes.fanoutWindowDeliveries,
    };
    for (let round = 0; round < ctx.rounds; round++) {
      for (const size of sizes) {
        for (const kind of rotate(ROOM_TARGETS.filter(ctx.includes), round)) {
          const room = kind === 'parley' ? (targets.parleyRooms.get(size) ?? '') : `fanout-${size}-${round}`;
          const server = targets.servers[kind];
          const profiler = windowProfiler(ctx, server, `fanout-${size}-r${round + 1}`);
          const sample = await measureFanout(kind, serverVenue(server), roomMembers(kind, size, room, targets.tokens), options, profiler);
          ctx.log(
            `fanout room ${size} round ${round + 1} ${kind}: ${Math.round(sample.deliveriesPerSecond ?? 0)} deliveries/s, ` +
              `${(sample.serverMicrosPerDelivery ?? 0).toFixed(2)} µs/delivery, generator ${Math.round((sample[GENERATOR_SHARE] ?? 0) * 100)}%`,
          );
          collectors.get(size)?.add(kind, sample);
          await quiesce(Object.values(targets.servers));
        }
      }
    }
    return [...collectors.values()].map((collector) => {
      const vsRelay = collector.compare('deliveries/s', 'deliveriesPerSecond', 'parley', 'relay', 'ratio', 'per-second');
      const vsSocketIo = collector.compare('deliveries/s', 'deliveriesPerSecond', 'parley', 'socketio', 'ratio', 'per-second');
      const perCore = collector.compare(
        'deliveries per server CPU-second',
        'deliveriesPerCoreSecond',
        'parley',
        'relay',
        'ratio',
        'per-second',
      );
      const perCoreIo = collector.compare(
        'deliveries per server CPU-second',
        'deliveriesPerCoreSecond',
        'parley',
        'socketio',
        'ratio',
        'per-second',
      );
      const also = (s: Summary | null) => (s ? `; per server CPU-second ${s.median.toFixed(2)}×` : '');
      if (vsRelay) collector.goal('fanout ≥ 0.8× raw relay', vsRelay.median >= 0.8, `median ${vsRelay.median.toFixed(2)}×${also(perCore)}`);
      if (vsSocketIo)
        collector.goal('fanout ahead of Socket.IO', vsSocketIo.median > 1, `median ${vsSocketIo.median.toFixed(2)}×${also(perCoreIo)}`);
      return collector.result();
    });
  } finally {
    await targets.close();
  }
}
