/**
 * The cluster scenario's four cases — their columns, and the cluster-against-one-instance
 * comparisons and checks made once the rounds are in.
 */
import type { BenchContext } from '../context.js';
import { CaseCollector, type CaseResult, type Column } from '../results.js';

export const CLUSTER = { single: 'parley-single', cluster: 'parley-cluster' } as const;

/**
 * The fixed rate of a latency case: `load` × the lower of the targets' flat-out rates in
 * the round, in whole messages/s (at least 1). The lower one, so that both run below
 * their capacity and the latency is the path's, not a queue's.
 */
export function fixedRate(load: number, flatOutPerSecond: number[]): number {
  const rates = flatOutPerSecond.filter((rate) => Number.isFinite(rate) && rate > 0);
  if (rates.length === 0) throw new Error(`no flat-out rate to take ${load} of`);
  return Math.max(1, Math.round(load * Math.min(...rates)));
}

const CPU_COLUMNS: Column[] = [{ key: 'redisShare', label: 'Redis CPU', unit: 'share' }];

export function clusterCases(ctx: BenchContext) {
  const n = ctx.sizes.clusterInstances;
  const pct = `${Math.round(ctx.sizes.clusterLatencyLoad * 100)}%`;
  const where = `${n} instances + Redis vs 1 instance, one PostgreSQL database each, every instance pinned to the server core`;
  const pairs = `${ctx.sizes.clusterPairs} direct chats, the sender of each on one instance and its peer on the next`;
  const room = `a room of ${ctx.sizes.clusterRoom}, its sender on the first instance, receivers round-robin over all, the full clients only on the others`;
  const dmFlat = new CaseCollector(
    'cluster',
    'direct messages across instances, flat out',
    `${pairs}; each sender keeps ${ctx.sizes.dmWindow} messages unacknowledged. ${where}. Delivery latency is from send to receipt by the peer.`,
    [
      { key: 'ackedPerSecond', label: 'acked messages/s', unit: 'per-second' },
      { key: 'deliveryP50', label: 'delivery p50 ms', unit: 'millis' },
      { key: 'deliveryP99', label: 'delivery p99 ms', unit: 'millis' },
      { key: 'serverMicrosPerMessage', label: 'server CPU-µs/message (all instances)', unit: 'micros' },
      ...CPU_COLUMNS,
    ],
  );
  const dmRate = new CaseCollector(
    'cluster',
    `direct messages across instances at ${pct} load`,
    `${pairs}, sending together at ${pct} of the lower of the two flat-out rates in the same round (open loop). ${where}.`,
    [
      { key: 'rate', label: 'messages/s', unit: 'per-second' },
      { key: 'deliveryP50', label: 'delivery p50 ms', unit: 'millis' },
      { key: 'deliveryP99', label: 'delivery p99 ms', unit: 'millis' },
      { key: 'ackP99', label: 'ack p99 ms', unit: 'millis' },
      { key: 'deliveredShare', label: 'delivered', unit: 'share' },
      { key: 'serverMicrosPerMessage', label: 'server CPU-µs/message (all instances)', unit: 'micros' },
      ...CPU_COLUMNS,
    ],
  );
  const roomFlat = new CaseCollector(
    'cluster',
    `room of ${ctx.sizes.clusterRoom} spread over the instances, flat out`,
    `One sender into ${room}; sending as fast as the slowest full client receives (fanout's method). ${where}.`,
    [
      { key: 'deliveriesPerSecond', label: 'deliveries/s', unit: 'per-second' },
      { key: 'messagesPerSecond', label: 'messages/s', unit: 'per-second' },
      { key: 'serverMicrosPerDelivery', label: 'server CPU-µs/delivery (all instances)', unit: 'micros' },
      ...CPU_COLUMNS,
    ],
  );
  const roomRate = new CaseCollector(
    'cluster',
    `room of ${ctx.sizes.clusterRoom} spread over the instances at ${pct} load`,
    `One sender at ${pct} of the lower of the two flat-out messages/s in the same round into ${room}; the full clients time each message from its scheduled send time (latency's method). ${where}.`,
    [
      { key: 'rate', label: 'messages/s', unit: 'per-second' },
      { key: 'p50', label: 'p50 ms', unit: 'millis' },
      { key: 'p99', label: 'p99 ms', unit: 'millis' },
      { key: 'deliveredShare', label: 'delivered', unit: 'share' },
      ...CPU_COLUMNS,
    ],
  );
  const { single, cluster } = CLUSTER;
  const latencies = (collector: CaseCollector, p50: string, p99: string) => {
    collector.compare('p50', p50, cluster, single, 'ratio', 'millis');
    collector.compare('p50', p50, cluster, single, 'difference', 'millis');
    collector.compare('p99', p99, cluster, single, 'ratio', 'millis');
    collector.compare('p99', p99, cluster, single, 'difference', 'millis');
  };
  const everyMessage = (collector: CaseCollector) => {
    if (!collector.has(cluster)) return;
    const delivered = collector.summary(cluster, 'deliveredShare');
    collector.goal(
      'every message delivered across instances',
      delivered.min >= 1,
      `the cluster delivered ${(delivered.min * 100).toFixed(2)}% at worst`,
    );
  };
  return {
    dmFlat,
    dmRate,
    roomFlat,
    roomRate,
    results(): CaseResult[] {
      dmFlat.compare('acked/s', 'ackedPerSecond', cluster, single, 'ratio', 'per-second');
      dmFlat.compare('server CPU-µs/message', 'serverMicrosPerMessage', cluster, single, 'ratio', 'micros');
      latencies(dmRate, 'deliveryP50', 'deliveryP99');
      everyMessage(dmRate);
      roomFlat.compare('deliveries/s', 'deliveriesPerSecond', cluster, single, 'ratio', 'per-second');
      roomFlat.compare('server CPU-µs/delivery', 'serverMicrosPerDelivery', cluster, single, 'ratio', 'micros');
      latencies(roomRate, 'p50', 'p99');
      everyMessage(roomRate);
      for (const collector of [dmRate, roomRate])
        collector.notes.push(`the fixed rate is ${pct} of the lower flat-out rate of the same round, so it differs between rounds`);
      return [dmFlat, dmRate, roomFlat, roomRate].map((collector) => collector.result());
    },
  };
}
