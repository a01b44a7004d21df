#!/usr/bin/env node
/**
 * An example Parley bot: it answers "!echo <text>" with <text>, and "!ping" with "pong",
 * in every chat its owner scoped it to. It uses the same SDK, REST API and WebSocket as the
 * web app — a bot is an account with its own token (docs/bots.md).
 *
 *   npm run build                      # compiles the SDK this imports
 *   PARLEY_URL=http://localhost:8080 PARLEY_BOT_TOKEN=pb_… node examples/echo-bot.mjs
 */
import { randomUUID } from 'node:crypto';
import { createParleyClient, ParleyRealtime } from '@parley/sdk';
import WebSocket from 'ws';

const baseUrl = process.env.PARLEY_URL ?? 'http://localhost:8080';
const token = process.env.PARLEY_BOT_TOKEN;
if (!token) {
  console.error('Set PARLEY_BOT_TOKEN to the bot token shown when the bot was created.');
  process.exit(64);
}

const api = createParleyClient({ baseUrl, token });
const me = await api.users.me();
const realtime = new ParleyRealtime({ baseUrl, token, createSocket: (url) => new WebSocket(url) });

/** The answer to a message, or null when it is not for us. */
function answer(text) {
  const [command, ...rest] = text.trim().split(/\s+/);
  if (command === '!ping') return 'pong';
  if (command === '!echo' && rest.length > 0) return rest.join(' ');
  return null;
}

realtime.on('message.created', (data) => {
  const message = data.message;
  if (!message || message.senderId === me.id || message.kind !== 'text') return;
  const reply = answer(message.text);
  if (reply === null) return;
  // Over the socket, exactly once (the clientId makes a retry after a reconnect harmless).
  realtime
    .sendMessage({ chatId: message.chatId, clientId: randomUUID(), text: reply, replyTo: message.id })
    .catch((error) => console.error(`could not answer in ${message.chatId}: ${error.message}`));
});

realtime.onState((state, detail) => {
  if (state === 'closed' && detail?.code === 4003) {
    console.error('The bot token was replaced or the bot removed; stopping.');
    process.exit(1);
  }
});

await realtime.connect();
console.log(`${me.username} is listening in ${(await api.chats.list()).items.length} chat(s)`);

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    realtime.close();
    process.exit(0);
  });
}
