/**
 * Scenario 2, latency: one sender at a fixed rate — 10% and 50% of the raw relay's
 * capacity in the same room, probed at the start of the scenario — and full clients
 * timing every message from its scheduled send time to its arrival (so a sender held
 * up by a slow server is charged for it). Every message must arrive at every member.
 */
import {
  type BenchContext,
  quiesce,
  rotate,
  sleep,
  type WindowProfiler,
  waitUntil,
  waitWhileProgressing,
  windowProfiler,
} from '../context.js';
import { messageText, parseMessageText } from '../message-text.js';
import { startCpuWindow, windowShares } from '../proc.js';
import { CaseCollector, type CaseResult } from '../results.js';
import { LatencyRecorder } from '../stats.js';
import type { Member, WireKind } from '../wire/light.js';
import { measureFanout } from './fanout.js';
import { connectRoom, type RoomVenue, roomMembers, serverVenue } from './room.js';
import { ROOM_TARGETS, startRoomTargets } from './targets.js';

const LATENCY_FULL_CLIENTS = 8;

export async function measureLatency(
  kind: WireKind,
  venue: RoomVenue,
  members: Member[],
  rate: number,
  timing: { warmupMs: number; durationMs: number },
  profiler: WindowProfiler,
): Promise<Record<string, number>> {
  const fullCount = Math.min(LATENCY_FULL_CLIENTS, members.length - 1);
  const recorder = new LatencyRecorder();
  const received = new Array<number>(fullCount).fill(0);
  let measureFrom = Number.POSITIVE_INFINITY;
  const room = await connectRoom(kind, venue, members, fullCount, (i, text) => {
    const now = performance.now();
    received[i] = (received[i] ?? 0) + 1;
    const parsed = parseMessageText(text);
    if (parsed && parsed.sentAtMs >= measureFrom) recorder.record(now - parsed.sentAtMs);
  });
  try {
    const total = Math.max(1, Math.round((rate * (timing.warmupMs + timing.durationMs)) / 1000));
    const deliveries0 = room.deliveries();
    const start = performance.now();
    measureFrom = start + timing.warmupMs;
    let sent = 0;
    const sendDue = () => {
      const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
      while (sent < due) {
        room.sender.send(messageText(sent, start + (sent * 1000) / rate));
        sent++;
      }
    };
    const ticker = setInterval(sendDue, 1);
    sendDue();
    await sleep(timing.warmupMs);
    await profiler.start();
    const endWindow = startCpuWindow(venue.pids, { cores: venue.cores, side: venue.side });
    await waitUntil(() => sent >= total, timing.durationMs + 5000, 5);
    const window = endWindow();
    clearInterval(ticker);
    await profiler.stop();
    // Every member must get every message the server accepted; give stragglers a moment.
    const receivers = members.length - 1;
    const settled = () =>
      room.sender.inFlight === 0 &&
      received.every((n) => n >= room.sender.accepted) &&
      room.deliveries() - deliveries0 >= room.sender.accepted * receivers;
    // A server that fell behind gets to drain its backlog (bounded); lost messages stay lost.
    await waitWhileProgressing(settled, () => room.deliveries() + room.sender.accepted + room.sender.failed, 3000, 120_000);
    const [p50, p99, p999] = recorder.percentiles(50, 99, 99.9);
    return {
      rate,
      p50: p50 ?? Number.NaN,
      p99: p99 ?? Number.NaN,
      p999: p999 ?? Number.NaN,
      samples: recorder.size,
      deliveredShare: (room.deliveries() - deliveries0) / (total * receivers),
      // Of what the server accepted (acked), not counting sends it refused when it fell behind: this one must be 1.
      deliveredOfAccepted: room.sender.accepted > 0 ? (room.deliveries() - deliveries0) / (room.sender.accepted * receivers) : 0,
      refused: room.sender.failed,
      ...windowShares(window),
    };
  } finally {
    room.close();
  }
}

export async function runLatency(ctx: BenchContext): Promise<CaseResult[]> {
  const size = ctx.sizes.latencyRoom;
  const targets = await startRoomTargets(ctx, 'latency', [size]);
  const parleyRoom = targets.parleyRooms.get(size) ?? '';
  const membersOf = (kind: WireKind, room: string) => roomMembers(kind, size, kind === 'parley' ? parleyRoom : room, targets.tokens);
  try {
    const probe = await measureFanout('relay', serverVenue(targets.servers.relay), membersOf('relay', 'latency-probe'), {
      warmupMs: ctx.warmupMs,
      durationMs: Math.max(ctx.durationMs, 1000),
      fullClients: ctx.sizes.fullClients,
      windowDeliveries: ctx.sizes.fanoutWindowDeliveries,
    });
    const capacity = probe.messagesPerSecond ?? 0;
    ctx.log(`latency: raw relay capacity in a room of ${size}: ${Math.round(capacity)} messages/s`);
    const collectors = ctx.sizes.latencyLoads.map((load) => {
      const rate = Math.max(1, Math.round(capacity * load));
      const collector = new CaseCollector(
        'latency',
        `${Math.round(load * 100)}% of relay capacity`,
        `One sender at ${rate} messages/s (${Math.round(load * 100)}% of the raw relay's ${Math.round(capacity)} messages/s, probed ` +
          `at the start) into a room of ${size}; ${Math.min(LATENCY_FULL_CLIENTS, size - 1)} full clients time each message from its ` +
          `scheduled send time; the rest count.`,
        [
          { key: 'p50', label: 'p50 ms', unit: 'millis' },
          { key: 'p99', label: 'p99 ms', unit: 'millis' },
          { key: 'p999', label: 'p99.9 ms', unit: 'millis' },
          { key: 'deliveredShare', label: 'delivered', unit: 'share' },
        ],
      );
      return { load, rate, collector };
    });
    for (let round = 0; round < ctx.rounds; round++) {
      for (const { load, rate, collector } of collectors) {
        for (const kind of rotate(ROOM_TARGETS.filter(ctx.includes), round)) {
          const members = membersOf(kind, `latency-${load}-${round}`);
          const server = targets.servers[kind];
          const profiler = windowProfiler(ctx, server, `latency-${Math.round(load * 100)}pct-r${round + 1}`);
          const sample = await measureLatency(kind, serverVenue(server), members, rate, ctx, profiler);
          ctx.log(
            `latency ${Math.round(load * 100)}% round ${round + 1} ${kind}: p50 ${sample.p50?.toFixed(2)} ms, ` +
              `p99 ${sample.p99?.toFixed(2)} ms, p99.9 ${sample.p999?.toFixed(2)} ms, delivered ${((sample.deliveredShare ?? 0) * 100).toFixed(1)}%`,
          );
          collector.add(kind, sample);
          await quiesce(Object.values(targets.servers));
        }
      }
    }
    return collectors.map(({ load, collector }) => {
      const difference = collector.compare('p99', 'p99', 'parley', 'relay', 'difference', 'millis');
      collector.compare('p99', 'p99', 'parley', 'socketio', 'difference', 'millis');
      const delivered = collector.summary('parley', 'deliveredShare');
      collector.goal('every message delivered', delivered.min >= 1, `Parley delivered ${(delivered.min * 100).toFixed(2)}% at worst`);
      if (load === 0.5 && difference)
        collector.goal(
          'p99 within +5 ms of the raw relay at 50% load',
          difference.median <= 5,
          `median ${difference.median.toFixed(2)} ms`,
        );
      collector.notes.push(`raw relay capacity probe: ${Math.round(capacity)} messages/s in a room of ${size}`);
      return collector.result();
    });
  } finally {
    await targets.close();
  }
}
