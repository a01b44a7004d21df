/**
 * Baseline 1, the ceiling: a raw `ws` relay that broadcasts every frame it receives to
 * every socket in the same room (`?room=`), the sender included. No auth, no storage,
 * no parsing. Its only other trick is `GET /history`, a canned 50-message page, as
 * the ceiling for the history scenario: the cost of HTTP alone.
 */
import http from 'node:http';
import { type WebSocket, WebSocketServer } from 'ws';
import { cannedHistoryPage } from '../history-page.js';
import { portOf, serveChild } from './child.js';

serveChild(async () => {
  const history = Buffer.from(JSON.stringify(cannedHistoryPage()));
  const server = http.createServer((request, response) => {
    if (request.url === '/history') {
      response.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': history.length });
      response.end(history);
      return;
    }
    response.writeHead(404, { 'content-length': 0 });
    response.end();
  });
  const rooms = new Map<string, Set<WebSocket>>();
  const wss = new WebSocketServer({ server, perMessageDeflate: false });
  wss.on('connection', (ws, request) => {
    const name = new URL(request.url ?? '/', 'http://relay').searchParams.get('room') ?? 'main';
    let room = rooms.get(name);
    if (!room) {
      room = new Set();
      rooms.set(name, room);
    }
    const members = room;
    members.add(ws);
    ws.on('message', (data, isBinary) => {
      for (const member of members) member.send(data, { binary: isBinary });
    });
    ws.on('close', () => members.delete(ws));
    ws.on('error', () => ws.terminate());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: portOf(server.address()),
    stop: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
});
