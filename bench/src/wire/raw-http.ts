/**
 * A keep-alive HTTP/1.1 GET loop over a plain TCP socket: the request bytes are built
 * once, reads land in one shared buffer (as for the light WebSocket connections), and a
 * response is only split into status, Content-Length and body — so one generator core
 * can issue tens of thousands of requests per second.
 */
import net from 'node:net';
import { SHARED_READ_BUFFER } from './raw-ws.js';

const HEADER_END = Buffer.from('\r\n\r\n');

export interface GetLoopStats {
  ok: number;
  failed: number;
  bytes: number;
}

export class HttpGetLoop {
  readonly stats: GetLoopStats = { ok: 0, failed: 0, bytes: 0 };
  onResponse: (status: number, latencyMs: number, body: Buffer | null) => void = () => undefined;
  /** Keep the body of the next response (for a one-off sanity check). */
  keepNextBody = false;
  private readonly socket: net.Socket;
  private readonly request: Buffer;
  /** Bytes of a response not complete yet (a copy: reads land in the shared buffer). */
  private pending: Buffer | null = null;
  private running = false;
  private sentAt = 0;

  constructor(port: number, path: string, headers: Record<string, string> = {}) {
    const extra = Object.entries(headers)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    this.request = Buffer.from(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: keep-alive\r\n${extra}\r\n`);
    this.socket = net.connect({
      port,
      host: '127.0.0.1',
      noDelay: true,
      onread: {
        buffer: SHARED_READ_BUFFER,
        callback: (bytes) => {
          this.receive(SHARED_READ_BUFFER.subarray(0, bytes));
          return true;
        },
      },
    });
    this.socket.on('error', () => {
      this.running = false;
    });
  }

  ready(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket.once('connect', () => resolve());
      this.socket.once('error', reject);
    });
  }

  start(): void {
    this.running = true;
    this.fire();
  }

  stop(): void {
    this.running = false;
  }

  close(): void {
    this.running = false;
    this.socket.destroy();
  }

  private fire(): void {
    this.sentAt = performance.now();
    this.socket.write(this.request);
  }

  private receive(chunk: Buffer): void {
    let data = this.pending ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = null;
    for (;;) {
      const headerEnd = data.indexOf(HEADER_END);
      if (headerEnd < 0) break;
      const head = data.toString('latin1', 0, headerEnd);
      const status = Number(head.slice(9, 12));
      const match = /\r\ncontent-length:\s*(\d+)/i.exec(head);
      if (!match) {
        // Not something this loop can frame (chunked?): count it and give up on the connection.
        this.stats.failed++;
        this.close();
        return;
      }
      const bodyStart = headerEnd + HEADER_END.length;
      const bodyEnd = bodyStart + Number(match[1]);
      if (data.length < bodyEnd) break;
      const body = this.keepNextBody ? Buffer.from(data.subarray(bodyStart, bodyEnd)) : null;
      this.keepNextBody = false;
      data = data.subarray(bodyEnd);
      if (status === 200) this.stats.ok++;
      else this.stats.failed++;
      this.stats.bytes += bodyEnd;
      this.onResponse(status, performance.now() - this.sentAt, body);
      if (this.running) this.fire();
    }
    if (data.length > 0) this.pending = Buffer.from(data);
  }
}
