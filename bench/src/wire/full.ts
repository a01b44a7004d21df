/**
 * Full clients: real client libraries that parse every frame — `ws` + JSON for the
 * relay, `socket.io-client`, and the Parley SDK's ParleyRealtime. A few of them per
 * scenario time every message; the room's sender is one too.
 */
import { ParleyRealtime, type SocketLike } from '@parley/sdk';
import { io, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import type { Member, WireKind } from './light.js';

export type TextListener = (text: string) => void;

export interface FullClient {
  close(): void;
}

/** Sends chat messages into a room. `accepted` counts sends the server took (acked, for Parley). */
export interface RoomSender {
  send(text: string): void;
  readonly accepted: number;
  readonly failed: number;
  readonly inFlight: number;
  close(): void;
}

const wsUrl = (port: number, path: string) => `ws://127.0.0.1:${port}${path}`;

function openWs(url: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { perMessageDeflate: false });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

function openSocketIo(port: number, room: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = io(`http://127.0.0.1:${port}`, { transports: ['websocket'], query: { room }, forceNew: true, reconnection: false });
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

async function openParley(port: number, token: string | null): Promise<ParleyRealtime> {
  const rt = new ParleyRealtime({
    baseUrl: `http://127.0.0.1:${port}`,
    token,
    reconnect: false,
    createSocket: (url) => new WebSocket(url, { perMessageDeflate: false }) as unknown as SocketLike,
  });
  await rt.connect();
  return rt;
}

const textOf = (payload: unknown): string | null => {
  const text = (payload as { text?: unknown } | null)?.text;
  return typeof text === 'string' ? text : null;
};

export async function connectFullClient(kind: WireKind, port: number, member: Member, onText: TextListener): Promise<FullClient> {
  if (kind === 'relay') {
    const ws = await openWs(wsUrl(port, `/?room=${encodeURIComponent(member.room)}`));
    ws.on('message', (data) => {
      const text = textOf(JSON.parse(String(data)));
      if (text !== null) onText(text);
    });
    return { close: () => ws.terminate() };
  }
  if (kind === 'socketio') {
    const socket = await openSocketIo(port, member.room);
    socket.on('m', (payload: unknown) => {
      const text = textOf(payload);
      if (text !== null) onText(text);
    });
    return { close: () => socket.disconnect() };
  }
  const rt = await openParley(port, member.token);
  rt.on('message.created', (data) => {
    const text = textOf((data as { message?: unknown }).message);
    if (text !== null) onText(text);
  });
  return { close: () => rt.close() };
}

/** Parley refuses more than 256 commands in flight per socket; the sender queues beyond this. */
const PARLEY_MAX_IN_FLIGHT = 200;

export async function connectRoomSender(kind: WireKind, port: number, member: Member): Promise<RoomSender> {
  if (kind === 'relay') {
    const ws = await openWs(wsUrl(port, `/?room=${encodeURIComponent(member.room)}`));
    let accepted = 0;
    return {
      send(text) {
        ws.send(JSON.stringify({ text }));
        accepted++;
      },
      get accepted() {
        return accepted;
      },
      failed: 0,
      inFlight: 0,
      close: () => ws.terminate(),
    };
  }
  if (kind === 'socketio') {
    const socket = await openSocketIo(port, member.room);
    let accepted = 0;
    return {
      send(text) {
        socket.emit('m', { text });
        accepted++;
      },
      get accepted() {
        return accepted;
      },
      failed: 0,
      inFlight: 0,
      close: () => socket.disconnect(),
    };
  }
  return parleySender(await openParley(port, member.token), member);
}

function parleySender(rt: ParleyRealtime, member: Member): RoomSender {
  let accepted = 0;
  let failed = 0;
  let inFlight = 0;
  let next = 0;
  const backlog: string[] = [];
  const call = (text: string) => {
    inFlight++;
    rt.call('message.send', { chatId: member.room, clientId: `${member.tag}-${next++}`, text }).then(
      () => {
        accepted++;
        done();
      },
      () => {
        failed++;
        done();
      },
    );
  };
  const done = () => {
    inFlight--;
    const text = backlog.shift();
    if (text !== undefined) call(text);
  };
  return {
    send(text) {
      if (inFlight < PARLEY_MAX_IN_FLIGHT) call(text);
      else backlog.push(text);
    },
    get accepted() {
      return accepted;
    },
    get failed() {
      return failed;
    },
    get inFlight() {
      return inFlight + backlog.length;
    },
    close: () => rt.close(),
  };
}
