/**
 * One-way direct messages: P pairs, each a sender and its peer listening, in a direct
 * chat of their own — on one server, or across a cluster's instances (pair i's sender on
 * instance i mod n, its peer on the next). Two loads: flat out (each sender keeps a
 * window of messages unacknowledged: acked messages/s) and a fixed rate (open loop,
 * every message stamped with its due time: delivery latency without coordinated
 * omission). A delivery is timed by the peer from the send time in its text.
 */
import { forEachLimited, sleep, type WindowProfiler, waitWhileProgressing } from '../context.js';
import { sentAtInFrame } from '../message-text.js';
import { type CpuWindowOptions, startCpuWindow, windowShares } from '../proc.js';
import { LatencyRecorder } from '../stats.js';
import { LightReceiver, LightSender, type Member } from '../wire/light.js';
import { pairInstances } from './spread.js';

export interface OneWayDmTarget {
  name: string;
  /** Ports of the instances (one for a single instance). */
  ports: number[];
  pids: number[];
  /** Pair i's sender and peer: chat id and tokens. */
  pair(i: number, round: number): { sender: Member; receiver: Member };
}

/** Flat out with a window per sender, or a fixed total rate (messages/s) shared by the senders. */
export type OneWayDmLoad = { window: number } | { rate: number };

export interface OneWayDmOptions {
  pairs: number;
  round: number;
  load: OneWayDmLoad;
  timing: { warmupMs: number; durationMs: number };
  /** Read after the warm-up, when the pools are full (e.g. to find the PostgreSQL backends to measure). */
  cpu(): Promise<CpuWindowOptions>;
  profiler: WindowProfiler;
}

export async function measureOneWayDm(target: OneWayDmTarget, options: OneWayDmOptions): Promise<Record<string, number>> {
  const { pairs, round, load, timing } = options;
  const senders: LightSender[] = new Array(pairs);
  const receivers: LightReceiver[] = new Array(pairs);
  const deliveryLatency = new LatencyRecorder();
  const ackLatency = new LatencyRecorder();
  // Only messages sent (due) inside the measured window are timed, however late they arrive.
  let from = Number.POSITIVE_INFINITY;
  let until = Number.POSITIVE_INFINITY;
  const inWindow = (sentAt: number) => sentAt >= from && sentAt < until;
  try {
    await forEachLimited(pairs, 25, async (i) => {
      const { sender, receiver } = pairInstances(i, target.ports.length);
      const members = target.pair(i, round);
      const listener = await LightReceiver.connect('parley', target.ports[receiver] ?? 0, members.receiver);
      listener.onDelivery = (data, start, end) => {
        const sentAt = sentAtInFrame(data, start, end);
        if (inWindow(sentAt)) deliveryLatency.record(performance.now() - sentAt);
      };
      receivers[i] = listener;
      const window = 'window' in load ? load.window : 0;
      const light = await LightSender.connect('parley', target.ports[sender] ?? 0, members.sender, window);
      // An ack's latency is reported when it arrives; its send time is now minus that.
      light.onAck = (ms) => {
        if (inWindow(performance.now() - ms)) ackLatency.record(ms);
      };
      senders[i] = light;
    });
    const total = <K extends 'acked' | 'failed'>(key: K) => senders.reduce((sum, s) => sum + s[key], 0);
    const delivered = () => receivers.reduce((sum, r) => sum + r.deliveries, 0);
    const start = performance.now();
    from = start + timing.warmupMs;
    until = from + timing.durationMs;
    const stopSending = 'window' in load ? startWindowed(senders) : startPaced(senders, load.rate, start, until);
    await sleep(timing.warmupMs);
    const cpuOptions = await options.cpu();
    await options.profiler.start();
    const acked0 = total('acked');
    const delivered0 = delivered();
    const endWindow = startCpuWindow(target.pids, cpuOptions);
    await sleep(Math.max(0, until - performance.now()));
    const cpu = endWindow();
    await options.profiler.stop();
    const acked = total('acked') - acked0;
    const deliveries = delivered() - delivered0;
    stopSending();
    // Let what was sent arrive: as long as acks and deliveries still come (bounded).
    const settled = () => senders.every((s) => s.inFlight === 0) && delivered() >= total('acked');
    await waitWhileProgressing(settled, () => total('acked') + total('failed') + delivered(), 3000, 60_000);
    // Flat out, an empty window means the server stalled. At a fixed rate on a loaded machine a short
    // window may see no ack while the messages still arrive after it: delivery is what that load checks.
    if ('window' in load ? acked <= 0 : total('acked') <= 0) throw new Error(`${target.name}: no message was acknowledged`);
    const [deliveryP50, deliveryP99] = deliveryLatency.percentiles(50, 99);
    const [ackP50, ackP99] = ackLatency.percentiles(50, 99);
    return {
      ...('rate' in load && { rate: load.rate }),
      ackedPerSecond: acked / (cpu.wallMs / 1000),
      deliveredPerSecond: deliveries / (cpu.wallMs / 1000),
      deliveryP50: deliveryP50 ?? Number.NaN,
      deliveryP99: deliveryP99 ?? Number.NaN,
      ackP50: ackP50 ?? Number.NaN,
      ackP99: ackP99 ?? Number.NaN,
      // Every acked message must reach its peer, on whichever instance the peer is.
      deliveredShare: delivered() / Math.max(1, total('acked')),
      refused: total('failed'),
      serverMicrosPerMessage: acked > 0 ? cpu.serverCpuMicros / acked : Number.NaN,
      ackedPerCoreSecond: (acked * 1e6) / cpu.serverCpuMicros,
      ...windowShares(cpu),
    };
  } finally {
    for (const sender of senders) sender?.close();
    for (const receiver of receivers) receiver?.close();
  }
}

function startWindowed(senders: LightSender[]): () => void {
  for (const sender of senders) sender.start();
  return () => {
    for (const sender of senders) sender.stop();
  };
}

/** Message k is due at start + k/rate and goes to sender k mod P; sending stops at `until`. */
function startPaced(senders: LightSender[], rate: number, start: number, until: number): () => void {
  let sent = 0;
  const total = Math.max(1, Math.round(((until - start) * rate) / 1000));
  const sendDue = () => {
    const due = Math.min(total, Math.floor(((performance.now() - start) * rate) / 1000) + 1);
    for (; sent < due; sent++) senders[sent % senders.length]?.sendScheduled(start + (sent * 1000) / rate);
  };
  const ticker = setInterval(sendDue, 1);
  sendDue();
  return () => clearInterval(ticker);
}
