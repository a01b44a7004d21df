/**
 * Resume by stream positions. A client presents the last position it processed in each
 * stream; for each stream the user follows now, the plan is one of: nothing missed,
 * replay what was missed, or reload (the position is unknown, older than the stream's
 * retained history or the user's join, more than RESUME_MAX_EVENTS behind, or the chat
 * is new to the client). A quiet stream is never reloaded because another was busy.
 * Replayed events come from the log with current payloads, each stream in order, paced
 * by the socket's drain.
 */
import type { StreamKey } from '@parley/protocol';
import type { Kysely } from 'kysely';
import type { Database } from '../storage/schema.js';
import { readStream } from './event-log.js';
import { eventLogRepo } from './event-log.repo.js';
import { encodeFrame, type Hub } from './hub.js';
import type { SocketSession } from './socket-session.js';

export interface ResumePlan {
  heads: Record<string, number>;
  reload: StreamKey[];
  gone: StreamKey[];
  replay: Array<{ stream: StreamKey; from: number; to: number }>;
  replayedCount: number;
}

const REPLAY_PAGE = 200;

export function createResume(deps: {
  db: Kysely<Database>;
  hub: Hub;
  maxEvents: number;
  observer?: { replayed(events: number): void; reloaded(streams: number): void };
}) {
  const { db, hub, maxEvents, observer } = deps;
  const log = eventLogRepo(db);

  /** The session has the stream up to `head` without replay: live duplicates up to there are dropped. */
  const coveredUpTo = (session: SocketSession, stream: StreamKey, head: number) => {
    if ((hub.deliveredUpTo(stream) ?? 0) < head) session.markSent(stream, head);
  };

  return {
    async plan(session: SocketSession, userId: string, positions: Record<string, number> | null): Promise<ResumePlan> {
      const followed = await log.followedBy(userId);
      const heads = Object.fromEntries(followed.map((f) => [f.stream, f.head]));
      const plan: ResumePlan = { heads, reload: [], gone: [], replay: [], replayedCount: 0 };
      if (positions === null) {
        for (const f of followed) coveredUpTo(session, f.stream, f.head);
        return plan;
      }
      const candidates: ResumePlan['replay'] = [];
      for (const { stream, head, joinedSeq } of followed) {
        const position = positions[stream];
        if (position === head) continue;
        const unknown = position === undefined || position > head || position < joinedSeq - 1;
        if (unknown || head - position > maxEvents) plan.reload.push(stream);
        else candidates.push({ stream, from: position, to: head });
      }
      const floors = await log.floors(candidates.map((c) => c.stream));
      for (const candidate of candidates) {
        const floor = floors.get(candidate.stream);
        if (floor === undefined || floor > candidate.from + 1) plan.reload.push(candidate.stream);
        else plan.replay.push(candidate);
      }
      plan.gone = (Object.keys(positions) as StreamKey[]).filter((stream) => !(stream in heads));
      for (const stream of plan.reload) coveredUpTo(session, stream, heads[stream] ?? 0);
      plan.replayedCount = plan.replay.reduce((sum, r) => sum + r.to - r.from, 0);
      if (plan.reload.length) observer?.reloaded(plan.reload.length);
      return plan;
    },

    /** Sends each planned stream's missed positions, events or skip markers, in order. */
    async replay(session: SocketSession, userId: string, plan: ResumePlan): Promise<void> {
      let sent = 0;
      for (const { stream, from, to } of plan.replay) {
        let after = from;
        while (after < to) {
          const events = await readStream(db, stream, after, Math.min(REPLAY_PAGE, to - after));
          if (events.length === 0) break;
          for (const event of events) {
            const hidden = event.privateTo !== null && !event.privateTo.includes(userId);
            const frame = hidden
              ? { type: 'skip', stream, seq: event.seq }
              : { type: 'event', event: event.name, stream, seq: event.seq, data: event.data };
            await session.sendReplayed(encodeFrame(frame));
            after = event.seq;
          }
          sent += events.length;
        }
        session.markSent(stream, to);
      }
      if (sent) observer?.replayed(sent);
    },
  };
}
