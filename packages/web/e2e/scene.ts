/**
 * A lived-in account for screenshots: Ada has a conversation with Grace (replies,
 * reactions, links, read ticks), a busy group with a mention and a private message, a
 * room, a muted group and an unread direct chat. Everything goes through the API, as
 * other people's clients would; `online` opens sockets so presence shows.
 */
import type { Chat, Message } from '@parley/protocol';
import { type ParleyClient, ParleyRealtime, type SocketLike } from '@parley/sdk';
import WebSocket from 'ws';
import type { TestServer } from '../../server/src/test/test-server.js';
import type { Account } from './harness.js';

export interface Person {
  account: Account;
  client: ParleyClient;
  id: string;
}

let clientIds = 0;

async function person(ts: TestServer, username: string, displayName: string, statusText = ''): Promise<Person> {
  const account = { username, email: `${username}@example.org`, password: `correct horse ${username}` };
  const client = ts.client();
  const { user } = await client.auth.register(account);
  await client.users.updateMe({ displayName, ...(statusText && { statusText }) });
  return { account, client, id: user.id };
}

function say(from: Person, chat: Chat, text: string, options: { replyTo?: Message; privateTo?: Person } = {}): Promise<Message> {
  clientIds += 1;
  return from.client.messages.send(chat.id, {
    clientId: `scene-${clientIds}`,
    text,
    ...(options.replyTo && { replyTo: options.replyTo.id }),
    ...(options.privateTo && { privateTo: options.privateTo.id }),
  });
}

/** Keeps a socket open for each person, so the app shows them online. */
export async function online(ts: TestServer, people: Person[]): Promise<() => void> {
  const sockets = people.map(
    (p) =>
      new ParleyRealtime({
        baseUrl: ts.url,
        token: p.client.token,
        reconnect: false,
        createSocket: (url) => new WebSocket(url) as unknown as SocketLike,
      }),
  );
  await Promise.all(sockets.map((s) => s.connect()));
  return () => {
    for (const socket of sockets) socket.close();
  };
}

export async function seedScene(ts: TestServer, tag: string) {
  const ada = await person(ts, `ada_${tag}`, 'Ada Lovelace', 'Working on the Analytical Engine');
  const grace = await person(ts, `grace_${tag}`, 'Grace Hopper', 'Compiling…');
  const charles = await person(ts, `charles_${tag}`, 'Charles Babbage');
  const alan = await person(ts, `alan_${tag}`, 'Alan Turing');
  const katherine = await person(ts, `katherine_${tag}`, 'Katherine Johnson');

  const engine = await ada.client.chats.create({
    kind: 'group',
    name: 'Analytical Engine',
    description: 'Plans, proofs and the occasional punch card.',
    memberIds: [charles.id, alan.id, katherine.id],
  });
  await ada.client.chats.setRole(engine.id, charles.id, 'admin');
  await say(charles, engine, 'The new **mill** design is ready for review. Drawings are in the usual place.');
  await say(alan, engine, 'Looks great. Reminder: `Bernoulli` numbers are next on the list.');
  await say(ada, engine, 'On it! I have a first program sketched out ✍️');
  await say(katherine, engine, `I ran the trajectory tables twice and they hold. @${ada.account.username} could you double-check table 3?`);
  await say(charles, engine, 'Between us: the budget meeting moved to Friday.', { privateTo: ada });

  const club = await grace.client.chats.create({
    kind: 'room',
    name: 'Book club',
    handle: `books-${tag}`,
    description: 'One book a month. This month: Flatland.',
  });
  await ada.client.chats.join(club.id);
  await say(grace, club, 'Chapter 3 tonight! Who is in? 📚');
  await say(ada, club, 'Count me in.');

  const hike = await katherine.client.chats.create({ kind: 'group', name: 'Weekend hike', memberIds: [ada.id, alan.id] });
  await ada.client.chats.mute(hike.id, true);
  await say(katherine, hike, 'Trail conditions look perfect for Saturday ⛰️');
  await say(alan, hike, 'I will bring the thermos.');

  const withAlan = await alan.client.chats.openDirect(ada.id);
  await say(alan, withAlan, 'Do you have a minute for a puzzle?');
  await say(alan, withAlan, 'It is about machines that think 🤖');

  const withGrace = await grace.client.chats.openDirect(ada.id);
  const morning = await say(grace, withGrace, 'Morning Ada! Did you get a chance to read my notes on the **compiler**?');
  await say(ada, withGrace, 'Yes! The part about turning `A-0` into real programs is brilliant.');
  const link = await say(grace, withGrace, 'Here is the full draft: https://example.org/compiler-notes');
  await ada.client.messages.react(withGrace.id, link.id, '🙌');
  await say(ada, withGrace, 'I will send comments tonight.\n> Less time debugging, more time thinking.\nThat line is going on my wall.', {
    replyTo: morning,
  });
  const last = await say(grace, withGrace, 'Ha, deal. Coffee tomorrow? ☕');
  await ada.client.messages.react(withGrace.id, last.id, '❤️');
  await grace.client.messages.react(withGrace.id, last.id, '❤️');
  await say(ada, withGrace, 'Tomorrow at 10 works for me');
  const mine = await say(ada, withGrace, 'See you there!');
  await grace.client.chats.markRead(withGrace.id, mine.seq);

  return { ada, grace, charles, alan, katherine, chats: { engine, club, hike, withAlan, withGrace } };
}
