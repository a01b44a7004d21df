/**
 * Baseline 2, what most Node chat servers use: Socket.IO over WebSocket only, each
 * socket in the room named by its `room` query parameter, every `m` event broadcast
 * to the room (the sender included) and acknowledged when the client asks for it.
 */
import http from 'node:http';
import { Server } from 'socket.io';
import { portOf, serveChild } from './child.js';

serveChild(async () => {
  const server = http.createServer();
  const io = new Server(server, { transports: ['websocket'], serveClient: false, perMessageDeflate: false });
  io.on('connection', (socket) => {
    const room = typeof socket.handshake.query.room === 'string' ? socket.handshake.query.room : 'main';
    socket.join(room);
    socket.on('m', (payload: unknown, ack?: unknown) => {
      io.to(room).emit('m', payload);
      if (typeof ack === 'function') ack();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: portOf(server.address()),
    stop: async () => {
      io.disconnectSockets(true);
      await new Promise<void>((resolve) => io.close(() => resolve()));
    },
  };
});
