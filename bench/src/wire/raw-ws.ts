/**
 * A minimal WebSocket client over a plain TCP socket, for the load generator's
 * lightweight connections. It does the upgrade, answers pings, sends masked text
 * frames and hands each received text frame to a callback as a byte range — no
 * UTF-8 decoding, no events per frame, no copies. Reads go straight into one shared
 * buffer (`onread`), skipping the stream machinery and a Buffer per read; that is
 * safe because every read is parsed before the next one and leftovers are copied.
 * So thousands of these cost the generator far less than the server they measure.
 * Not a general-purpose client: it trusts the server (no Sec-WebSocket-Accept check)
 * and ignores fragmentation, which none of the servers under test use.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';

export type TextFrameHandler = (data: Buffer, start: number, end: number) => void;

const OP_TEXT = 0x1;
const OP_CLOSE = 0x8;
const OP_PING = 0x9;
const OP_PONG = 0xa;
const HEADER_END = Buffer.from('\r\n\r\n');

/** Every light connection reads into this; see the module comment. */
export const SHARED_READ_BUFFER = Buffer.allocUnsafe(256 * 1024);

export interface RawConnectOptions {
  port: number;
  path: string;
  host?: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

export class RawWebSocket {
  onClose: () => void = () => undefined;
  closed = false;
  /** One random key per connection: masking is required, unpredictability is not the point here. */
  private readonly mask = randomBytes(4);
  /** Received bytes not yet handed out: a partial frame, or frames held while nobody listens. */
  private pending: Buffer | null = null;
  private handler: TextFrameHandler | null = null;
  private parsing = false;

  private socket: net.Socket | null = null;
  /** Bytes of the HTTP upgrade response received so far; null once upgraded. */
  private head: Buffer | null = Buffer.alloc(0);
  private onUpgraded: (error: Error | null) => void = () => undefined;

  /**
   * Who gets text frames. While it is null, frames are held (not dropped) until one is
   * set — so nothing is lost between the upgrade and a greeting, or between two steps
   * of a greeting.
   */
  set onText(handler: TextFrameHandler | null) {
    this.handler = handler;
    if (handler && this.pending && !this.parsing) {
      const held = this.pending;
      this.pending = null;
      this.receive(held);
    }
  }

  /** Opens the TCP connection and completes the HTTP upgrade. */
  static connect(options: RawConnectOptions): Promise<RawWebSocket> {
    const host = options.host ?? '127.0.0.1';
    const ws = new RawWebSocket();
    return new Promise((resolve, reject) => {
      const socket = net.connect({
        port: options.port,
        host,
        noDelay: true,
        onread: { buffer: SHARED_READ_BUFFER, callback: (bytes) => ws.onBytes(SHARED_READ_BUFFER.subarray(0, bytes)) },
      });
      ws.socket = socket;
      const timer = setTimeout(() => ws.onUpgraded(new Error(`upgrade timed out: ${options.path}`)), options.timeoutMs ?? 15_000);
      ws.onUpgraded = (error) => {
        ws.onUpgraded = () => undefined;
        clearTimeout(timer);
        if (!error) return resolve(ws);
        socket.destroy();
        reject(error);
      };
      socket.once('error', (error) => {
        ws.onUpgraded(error);
        ws.markClosed();
      });
      socket.on('close', () => {
        ws.onUpgraded(new Error('closed during the upgrade'));
        ws.markClosed();
      });
      const extra = Object.entries(options.headers ?? {})
        .map(([name, value]) => `${name}: ${value}\r\n`)
        .join('');
      socket.write(
        `GET ${options.path} HTTP/1.1\r\nHost: ${host}:${options.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n${extra}\r\n`,
      );
    });
  }

  /** Always true: keep reading. */
  private onBytes(chunk: Buffer): boolean {
    if (!this.head) {
      this.receive(chunk);
      return true;
    }
    // The chunk lives in the shared buffer: keep a copy of what is not consumed now.
    this.head = Buffer.concat([this.head, chunk]);
    const end = this.head.indexOf(HEADER_END);
    if (end < 0) return true;
    const head = this.head;
    this.head = null;
    const statusLine = head.toString('latin1', 0, head.indexOf('\r\n'));
    if (!statusLine.startsWith('HTTP/1.1 101')) {
      this.onUpgraded(new Error(`upgrade refused: ${statusLine}`));
      return true;
    }
    this.onUpgraded(null);
    const rest = head.subarray(end + HEADER_END.length);
    if (rest.length > 0) this.receive(rest);
    return true;
  }

  sendText(text: string): void {
    this.sendFrame(OP_TEXT, Buffer.from(text));
  }

  /** Drops the connection without a closing handshake (the cheapest way out for thousands). */
  destroy(): void {
    this.socket?.destroy();
    this.markClosed();
  }

  private markClosed(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClose();
  }

  private sendFrame(opcode: number, payload: Buffer): void {
    if (this.closed) return;
    const length = payload.length;
    const lengthBytes = length < 126 ? 0 : length < 65_536 ? 2 : 8;
    const headerLength = 2 + lengthBytes + 4;
    const frame = Buffer.allocUnsafe(headerLength + length);
    frame.writeUInt8(0x80 | opcode, 0);
    if (lengthBytes === 0) frame.writeUInt8(0x80 | length, 1);
    else if (lengthBytes === 2) {
      frame.writeUInt8(0x80 | 126, 1);
      frame.writeUInt16BE(length, 2);
    } else {
      frame.writeUInt8(0x80 | 127, 1);
      frame.writeBigUInt64BE(BigInt(length), 2);
    }
    this.mask.copy(frame, 2 + lengthBytes);
    for (let i = 0; i < length; i++) frame.writeUInt8(payload.readUInt8(i) ^ this.mask.readUInt8(i & 3), headerLength + i);
    this.socket?.write(frame);
  }

  private receive(chunk: Buffer): void {
    let data = chunk;
    if (this.pending) {
      data = Buffer.concat([this.pending, chunk]);
      this.pending = null;
    }
    const total = data.length;
    let offset = 0;
    this.parsing = true;
    while (offset + 2 <= total && this.handler) {
      const first = data.readUInt8(offset);
      const second = data.readUInt8(offset + 1);
      let length = second & 0x7f;
      let headerLength = 2;
      if (length === 126) {
        if (offset + 4 > total) break;
        length = data.readUInt16BE(offset + 2);
        headerLength = 4;
      } else if (length === 127) {
        if (offset + 10 > total) break;
        length = Number(data.readBigUInt64BE(offset + 2));
        headerLength = 10;
      }
      if (second & 0x80) headerLength += 4; // servers never mask; tolerate it anyway
      const start = offset + headerLength;
      const end = start + length;
      if (end > total) break;
      const opcode = first & 0x0f;
      offset = end;
      if (opcode === OP_TEXT) this.handler(data, start, end);
      else if (opcode === OP_PING) this.sendFrame(OP_PONG, data.subarray(start, end));
      else if (opcode === OP_CLOSE) {
        this.parsing = false;
        this.destroy();
        return;
      }
    }
    this.parsing = false;
    // Copy the partial frame so the (possibly large) chunk it came from can be freed.
    if (offset < total) this.pending = Buffer.from(data.subarray(offset));
  }
}

/** True when bytes [start, end) of `data` begin with `prefix`. */
export function startsWith(data: Buffer, start: number, end: number, prefix: Buffer): boolean {
  if (end - start < prefix.length) return false;
  return data.compare(prefix, 0, prefix.length, start, start + prefix.length) === 0;
}

/** Reads the decimal digits at `from` (stopping at the first non-digit); -1 when there are none. */
export function readDigits(data: Buffer, from: number, end: number): number {
  let value = 0;
  let index = from;
  for (; index < end; index++) {
    const byte = data.readUInt8(index);
    if (byte < 0x30 || byte > 0x39) break;
    value = value * 10 + (byte - 0x30);
  }
  return index === from ? -1 : value;
}
