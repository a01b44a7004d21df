/**
 * The load generator's lightweight connections, one protocol adapter per server under
 * test. A light receiver only counts the frames that are chat-message deliveries (by a
 * byte-prefix check, no parsing); a light sender also recognises its own acks by the id
 * digits in them. That is all the work they do, so the generator stays cheap.
 */
import { WS_PATH } from '@parley/protocol';
import { messageText } from '../message-text.js';
import { RawWebSocket, readDigits, startsWith } from './raw-ws.js';

export type WireKind = 'relay' | 'socketio' | 'parley';

/** Who a connection is: the room (the chat id for Parley), its token, a tag unique to it. */
export interface Member {
  room: string;
  token: string | null;
  tag: string;
}

export interface LightProtocol {
  path(member: Member): string;
  /** Completes the protocol's greeting (hello, namespace connect) on a fresh socket. */
  greet(ws: RawWebSocket, member: Member): Promise<void>;
  isDelivery(data: Buffer, start: number, end: number): boolean;
  /** Frames that need an answer (Socket.IO's application-level pings). */
  onOther(ws: RawWebSocket, data: Buffer, start: number, end: number): void;
  /** The text frame that sends message number `n` into the member's room. */
  sendFrame(member: Member, n: number, text: string): string;
  /** The `n` this frame acknowledges (for the relay: the sender's own echo), or -1. */
  ackOf(member: Member, data: Buffer, start: number, end: number): number;
  /** The `n` this frame refuses, or -1. */
  errorOf(data: Buffer, start: number, end: number): number;
}

const bytes = (text: string) => Buffer.from(text);

function nextFrame(ws: RawWebSocket, timeoutMs = 15_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no frame from the server during the greeting')), timeoutMs);
    ws.onText = (data, start, end) => {
      clearTimeout(timer);
      ws.onText = null; // hold what follows for the next step
      resolve(data.toString('utf8', start, end));
    };
    ws.onClose = () => {
      clearTimeout(timer);
      reject(new Error('closed during the greeting'));
    };
  });
}

const relay: LightProtocol = {
  path: (member) => `/?room=${encodeURIComponent(member.room)}`,
  greet: async () => undefined,
  isDelivery: () => true,
  onOther: () => undefined,
  sendFrame: (member, n, text) => `{"from":"${member.tag}","n":${n},"text":"${text}"}`,
  ackOf(member, data, start, end) {
    const own = bytes(`{"from":"${member.tag}","n":`);
    return startsWith(data, start, end, own) ? readDigits(data, start + own.length, end) : -1;
  },
  errorOf: () => -1,
};

const SIO_EVENT = bytes('42[');
const SIO_ACK = bytes('43');
const SIO_PING = bytes('2');

const socketio: LightProtocol = {
  path: (member) => `/socket.io/?EIO=4&transport=websocket&room=${encodeURIComponent(member.room)}`,
  async greet(ws) {
    const open = await nextFrame(ws);
    if (!open.startsWith('0')) throw new Error(`Socket.IO: expected an open packet, got ${open.slice(0, 80)}`);
    const connected = nextFrame(ws);
    ws.sendText('40');
    const reply = await connected;
    if (!reply.startsWith('40')) throw new Error(`Socket.IO: namespace connect failed: ${reply.slice(0, 80)}`);
  },
  isDelivery: (data, start, end) => startsWith(data, start, end, SIO_EVENT),
  onOther(ws, data, start, end) {
    if (end - start === 1 && startsWith(data, start, end, SIO_PING)) ws.sendText('3');
  },
  sendFrame: (_member, n, text) => `42${n}["m",{"text":"${text}"}]`,
  ackOf: (_member, data, start, end) => (startsWith(data, start, end, SIO_ACK) ? readDigits(data, start + 2, end) : -1),
  errorOf: () => -1,
};

const PARLEY_MESSAGE = bytes('{"type":"event","event":"message.created"');
const PARLEY_RESULT = bytes('{"type":"result","id":"');
const PARLEY_ERROR = bytes('{"type":"error","id":"');

const parley: LightProtocol = {
  path: () => WS_PATH,
  async greet(ws, member) {
    const reply = nextFrame(ws);
    ws.sendText(JSON.stringify({ id: 'hello', cmd: 'hello', params: { token: member.token } }));
    const text = await reply;
    if (!text.startsWith('{"type":"result","id":"hello"')) throw new Error(`Parley: hello failed: ${text.slice(0, 200)}`);
  },
  isDelivery: (data, start, end) => startsWith(data, start, end, PARLEY_MESSAGE),
  onOther: () => undefined,
  sendFrame: (member, n, text) =>
    `{"id":"${n}","cmd":"message.send","params":{"chatId":"${member.room}","clientId":"${member.tag}-${n}","text":"${text}"}}`,
  ackOf: (_member, data, start, end) =>
    startsWith(data, start, end, PARLEY_RESULT) ? readDigits(data, start + PARLEY_RESULT.length, end) : -1,
  errorOf: (data, start, end) => (startsWith(data, start, end, PARLEY_ERROR) ? readDigits(data, start + PARLEY_ERROR.length, end) : -1),
};

export const LIGHT_PROTOCOLS: Record<WireKind, LightProtocol> = { relay, socketio, parley };

/** A connection that counts deliveries and nothing else. */
export class LightReceiver {
  deliveries = 0;
  /** Payload bytes of those deliveries. */
  bytes = 0;
  /** Called with each delivery's bytes (to time it, say); null keeps the receiver as cheap as counting. */
  onDelivery: ((data: Buffer, start: number, end: number) => void) | null = null;

  private constructor(readonly ws: RawWebSocket) {}

  static async connect(kind: WireKind, port: number, member: Member): Promise<LightReceiver> {
    const protocol = LIGHT_PROTOCOLS[kind];
    const ws = await RawWebSocket.connect({ port, path: protocol.path(member) });
    try {
      await protocol.greet(ws, member);
    } catch (error) {
      ws.destroy();
      throw error;
    }
    const receiver = new LightReceiver(ws);
    ws.onClose = () => undefined;
    ws.onText = (data, start, end) => {
      if (protocol.isDelivery(data, start, end)) {
        receiver.deliveries++;
        receiver.bytes += end - start;
        receiver.onDelivery?.(data, start, end);
      } else protocol.onOther(ws, data, start, end);
    };
    return receiver;
  }

  close(): void {
    this.ws.destroy();
  }
}

/**
 * A light connection that also sends: it keeps up to `window` messages unacknowledged,
 * records each ack's latency, and counts deliveries of everyone else's messages.
 */
export class LightSender {
  deliveries = 0;
  acked = 0;
  failed = 0;
  onAck: (latencyMs: number) => void = () => undefined;
  private next = 0;
  private readonly sentAt = new Map<number, number>();
  private running = false;
  private readonly protocol: LightProtocol;

  private constructor(
    readonly ws: RawWebSocket,
    private readonly kind: WireKind,
    private readonly member: Member,
    private readonly window: number,
  ) {
    this.protocol = LIGHT_PROTOCOLS[kind];
  }

  static async connect(kind: WireKind, port: number, member: Member, window: number): Promise<LightSender> {
    const protocol = LIGHT_PROTOCOLS[kind];
    const ws = await RawWebSocket.connect({ port, path: protocol.path(member) });
    try {
      await protocol.greet(ws, member);
    } catch (error) {
      ws.destroy();
      throw error;
    }
    const sender = new LightSender(ws, kind, member, window);
    ws.onClose = () => undefined;
    ws.onText = (data, start, end) => sender.receive(data, start, end);
    return sender;
  }

  get inFlight(): number {
    return this.sentAt.size;
  }

  start(): void {
    this.running = true;
    this.fill();
  }

  stop(): void {
    this.running = false;
  }

  /**
   * Open loop: sends one message now, whatever is in flight, stamped (text and ack
   * latency alike) with the time it was due — so a send held up by a slow server is
   * charged for the wait.
   */
  sendScheduled(dueMs: number): void {
    const n = this.next++;
    this.sentAt.set(n, dueMs);
    this.ws.sendText(this.protocol.sendFrame(this.member, n, messageText(n, dueMs)));
  }

  close(): void {
    this.running = false;
    this.ws.destroy();
  }

  private fill(): void {
    while (this.running && this.sentAt.size < this.window) {
      const n = this.next++;
      const now = performance.now();
      this.sentAt.set(n, now);
      this.ws.sendText(this.protocol.sendFrame(this.member, n, messageText(n, now)));
    }
  }

  private settle(n: number, ok: boolean): void {
    const sent = this.sentAt.get(n);
    if (sent === undefined) return;
    this.sentAt.delete(n);
    if (ok) {
      this.acked++;
      this.onAck(performance.now() - sent);
    } else this.failed++;
    this.fill();
  }

  private receive(data: Buffer, start: number, end: number): void {
    const acked = this.protocol.ackOf(this.member, data, start, end);
    if (acked >= 0) {
      // The relay's "ack" is the sender's own echo, which is also a delivery to it, as in the others.
      if (this.kind === 'relay') this.deliveries++;
      this.settle(acked, true);
      return;
    }
    const refused = this.protocol.errorOf(data, start, end);
    if (refused >= 0) {
      this.settle(refused, false);
      return;
    }
    // A relay echo of the peer's message, a Socket.IO or Parley event: all deliveries.
    if (this.kind === 'relay' || this.protocol.isDelivery(data, start, end)) this.deliveries++;
    else this.protocol.onOther(this.ws, data, start, end);
  }
}
