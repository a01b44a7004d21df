/**
 * Which instance each connection of the cluster scenario goes to. Pure, so the rule —
 * every direct message crosses instances, every timed room delivery is remote — is
 * tested on its own; with one instance everything lands on it, so the single-instance
 * target runs the very same code.
 */
import type { RoomVenue } from './room.js';

/** Pair i's sender is on instance i mod n and its peer on the next one, so no pair shares an instance. */
export function pairInstances(pair: number, instances: number): { sender: number; receiver: number } {
  return { sender: pair % instances, receiver: (pair + 1) % instances };
}

export interface SpreadOptions {
  ports: number[];
  pids: number[];
  cores: number;
  side?: Record<string, number | readonly number[]>;
}

/**
 * A room spread over the instances: the sender on the first, light receivers round-robin
 * over all of them (a third of the deliveries are local, as in a real cluster), and the
 * full clients — the ones that pace the sender and time the messages — only on the
 * others, so every latency measured crossed the bus.
 */
export function spreadVenue(options: SpreadOptions): RoomVenue {
  const { ports } = options;
  const first = ports[0];
  if (first === undefined) throw new Error('a venue needs at least one instance');
  const remote = ports.length > 1 ? ports.slice(1) : ports;
  return {
    senderPort: first,
    lightPort: (i) => ports[i % ports.length] ?? first,
    fullPort: (i) => remote[i % remote.length] ?? first,
    pids: options.pids,
    cores: options.cores,
    ...(options.side && { side: options.side }),
  };
}
