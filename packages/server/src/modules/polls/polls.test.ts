/**
 * Polls (E16) through a real server and real sockets on every dialect: voting rules
 * (single or multiple choice, changeable until closed, only existing options), live
 * results as one `poll.updated` per change, anonymity (no voter id in any answer, event or
 * page of history), closing by the creator only, closing at its time through the jobs
 * queue, and 404s for what you may not see.
 */
import type { EventFrame, Message, PollUpdated } from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../test/dialects.js';
import { expectApiError } from '../../test/expect-error.js';
import { connectDevice } from '../../test/realtime-client.js';
import { signUp, startTestServer, type TestServer } from '../../test/test-server.js';

const pollEvents = (events: EventFrame[], messageId: string) =>
  events
    .filter((f) => f.event === 'poll.updated' && (f.data as PollUpdated).messageId === messageId)
    .map((f) => (f.data as PollUpdated).poll);

for (const dialect of DIALECTS) {
  describe(`polls on ${dialect}`, () => {
    let ts: TestServer;
    beforeAll(async () => {
      ts = await startTestServer(dialect, { JOBS_POLL_MS: '100' });
    });
    afterAll(() => ts.close());

    async function team() {
      const ann = await signUp(ts, 'ann');
      const bob = await signUp(ts, 'bob');
      const carol = await signUp(ts, 'carol');
      const group = await ann.client.chats.create({ kind: 'group', name: 'Lunch', memberIds: [bob.user.id, carol.user.id] });
      return { ann, bob, carol, group };
    }

    it('single choice: votes live to members, changeable, one event per change, closed by its creator only', async () => {
      const { ann, bob, carol, group } = await team();
      const annDevice = await connectDevice(ts.url, ann.token);
      const bobDevice = await connectDevice(ts.url, bob.token);
      try {
        const message = await ann.client.polls.create(group.id, {
          clientId: 'poll-1',
          question: 'Where for lunch?',
          options: ['Noodles', 'Tacos', 'Salad'],
        });
        expect(message).toMatchObject({
          text: 'Where for lunch?',
          poll: { question: 'Where for lunch?', multiple: false, anonymous: false, voterCount: 0 },
        });
        // Idempotent by clientId, like a send.
        expect(
          (await ann.client.polls.create(group.id, { clientId: 'poll-1', question: 'Where for lunch?', options: ['Noodles', 'Tacos'] })).id,
        ).toBe(message.id);

        const voted = await bob.client.polls.vote(group.id, message.id, [1]);
        expect(voted.myVotes).toEqual([1]);
        expect(voted.poll.options.map((o) => [o.votes, o.voterIds])).toEqual([
          [0, []],
          [1, [bob.user.id]],
          [0, []],
        ]);
        await carol.client.polls.vote(group.id, message.id, [1]);
        // Over the socket: Bob changes his mind; the same choice again changes nothing.
        expect(await bobDevice.rt.call('poll.vote', { chatId: group.id, messageId: message.id, options: [0] })).toMatchObject({
          myVotes: [0],
        });
        await bob.client.polls.vote(group.id, message.id, [0]);
        await annDevice.waitFor(() => pollEvents(annDevice.events, message.id).length === 4);
        const seen = pollEvents(annDevice.events, message.id);
        expect(seen.map((p) => p.options.map((o) => o.votes))).toEqual([
          [0, 0, 0],
          [0, 1, 0],
          [0, 2, 0],
          [1, 1, 0],
        ]);
        expect(seen.at(-1)?.options[1]?.voterIds).toEqual([carol.user.id]);

        await expectApiError(bob.client.polls.vote(group.id, message.id, [0, 1]), 'validation_failed', 400);
        await expectApiError(bob.client.polls.vote(group.id, message.id, [3]), 'validation_failed', 400);
        await expectApiError(bob.client.polls.close(group.id, message.id), 'forbidden', 403);
        const closed = await ann.client.polls.close(group.id, message.id);
        expect(closed.poll.closedAt).not.toBeNull();
        await expectApiError(carol.client.polls.vote(group.id, message.id, []), 'poll_closed', 409);

        // History carries the results as they are now.
        const page = await carol.client.messages.history(group.id);
        const inHistory = page.items.find((m) => m.id === message.id) as Message;
        expect(inHistory.poll).toMatchObject({ voterCount: 2, closedAt: closed.poll.closedAt });
        expect(inHistory.poll?.options.map((o) => o.votes)).toEqual([1, 1, 0]);
        expect((await carol.client.polls.get(group.id, message.id)).myVotes).toEqual([1]);
      } finally {
        annDevice.close();
        bobDevice.close();
      }
    });

    it('anonymous multiple choice: counts for everyone, only your own votes for you, no voter ids anywhere', async () => {
      const { ann, bob, carol, group } = await team();
      const carolDevice = await connectDevice(ts.url, carol.token);
      try {
        const message = await ann.client.polls.create(group.id, {
          clientId: 'poll-anon',
          question: 'Which days suit you?',
          options: ['Mon', 'Tue', 'Wed'],
          multiple: true,
          anonymous: true,
        });
        expect((await bob.client.polls.vote(group.id, message.id, [2, 0])).myVotes).toEqual([0, 2]);
        const carolVote = await carol.client.polls.vote(group.id, message.id, [0]);
        expect(carolVote.myVotes).toEqual([0]);
        expect(carolVote.poll.options.map((o) => [o.votes, o.voterIds])).toEqual([
          [2, null],
          [0, null],
          [1, null],
        ]);
        expect(carolVote.poll.voterCount).toBe(2);
        await bob.client.polls.vote(group.id, message.id, []);
        // The creation, Bob, Carol, Bob taking his back.
        await carolDevice.waitFor(() => pollEvents(carolDevice.events, message.id).length === 4);
        // Everything anyone is shown about the poll (the chat's "added" line names members; that is not the poll).
        const wsPage = (await carolDevice.rt.call('message.history', { chatId: group.id })) as { items: Message[] };
        const everything = JSON.stringify([
          carolDevice.events.filter((f) => f.event === 'poll.updated' || f.event === 'message.created'),
          (await ann.client.messages.history(group.id)).items.filter((m) => m.id === message.id),
          await ann.client.polls.get(group.id, message.id),
          wsPage.items.filter((m) => m.id === message.id),
        ]);
        expect(everything).not.toContain(bob.user.id);
        expect(everything).not.toContain('voterIds":["');
        expect((await ann.client.polls.get(group.id, message.id)).myVotes).toEqual([]);
      } finally {
        carolDevice.close();
      }
    });

    it('closes at its close time through the jobs queue', async () => {
      const { ann, bob, group } = await team();
      const annDevice = await connectDevice(ts.url, ann.token);
      try {
        const closesAt = new Date(Date.now() + 1500).toISOString();
        const message = await ann.client.polls.create(group.id, {
          clientId: 'poll-timed',
          question: 'Quick one?',
          options: ['Yes', 'No'],
          closesAt,
        });
        expect(message.poll?.closesAt).toBe(closesAt);
        await bob.client.polls.vote(group.id, message.id, [0]);
        const closing = await annDevice.waitFor(
          (f) =>
            f.event === 'poll.updated' &&
            (f.data as PollUpdated).messageId === message.id &&
            (f.data as PollUpdated).poll.closedAt !== null,
          10_000,
        );
        expect((closing.data as PollUpdated).poll.options.map((o) => o.votes)).toEqual([1, 0]);
        await expectApiError(bob.client.polls.vote(group.id, message.id, [1]), 'poll_closed', 409);
        await expectApiError(
          ann.client.polls.create(group.id, {
            clientId: 'poll-past',
            question: 'Too late?',
            options: ['a', 'b'],
            closesAt: new Date(Date.now() - 1000).toISOString(),
          }),
          'validation_failed',
          400,
        );
      } finally {
        annDevice.close();
      }
    });

    it('answers 404 to outsiders and for messages that are not polls, and keeps polls out of direct chats', async () => {
      const { ann, bob, group } = await team();
      const outsider = await signUp(ts, 'outsider');
      const message = await ann.client.polls.create(group.id, { clientId: 'poll-404', question: 'Secret?', options: ['a', 'b'] });
      await expectApiError(outsider.client.polls.get(group.id, message.id), 'chat_not_found', 404);
      await expectApiError(outsider.client.polls.vote(group.id, message.id, [0]), 'chat_not_found', 404);
      const plain = await ann.client.messages.send(group.id, { clientId: 'not-a-poll', text: 'just text' });
      await expectApiError(bob.client.polls.vote(group.id, plain.id, [0]), 'poll_not_found', 404);
      await ann.client.messages.delete(group.id, message.id);
      await expectApiError(bob.client.polls.vote(group.id, message.id, [0]), 'poll_not_found', 404);
      const direct = await ann.client.chats.openDirect(bob.user.id);
      await expectApiError(
        ann.client.polls.create(direct.id, { clientId: 'poll-dm', question: 'DM?', options: ['a', 'b'] }),
        'validation_failed',
        400,
      );
    });
  });
}
