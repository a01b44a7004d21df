/**
 * A real SMTP server for tests (the npm `smtp-server`): accepts every message on a free
 * local port and parses it with mailparser, so tests read the mails that actually arrived.
 */
import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll } from 'vitest';
import type { TestDialect } from './dialects.js';
import { startTestServer, type TestServer } from './test-server.js';

export interface SmtpSink {
  url: string;
  mails: ParsedMail[];
  /** The next mail to `to` (already arrived or arriving within `timeoutMs`), removed from the list. */
  next(to: string, timeoutMs?: number): Promise<ParsedMail>;
  /** Fails if a mail to `to` arrives within `ms`. */
  expectNone(to: string, ms?: number): Promise<void>;
  close(): Promise<void>;
}

const recipientOf = (mail: ParsedMail) => {
  const to = Array.isArray(mail.to) ? mail.to[0] : mail.to;
  return to?.value[0]?.address?.toLowerCase() ?? '';
};

export async function startSmtpSink(): Promise<SmtpSink> {
  const mails: ParsedMail[] = [];
  const waiters = new Set<() => void>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((mail) => {
          mails.push(mail);
          for (const wake of waiters) wake();
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;

  const take = (to: string) => {
    const index = mails.findIndex((m) => recipientOf(m) === to.toLowerCase());
    return index === -1 ? undefined : mails.splice(index, 1)[0];
  };

  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    next(to, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const found = take(to);
        if (found) return resolve(found);
        const wake = () => {
          const mail = take(to);
          if (!mail) return;
          waiters.delete(wake);
          clearTimeout(timer);
          resolve(mail);
        };
        const timer = setTimeout(() => {
          waiters.delete(wake);
          reject(new Error(`no mail to ${to} within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(wake);
      });
    },
    async expectNone(to, ms = 1500) {
      await new Promise((resolve) => setTimeout(resolve, ms));
      const found = mails.find((m) => recipientOf(m) === to.toLowerCase());
      if (found) throw new Error(`unexpected mail to ${to}: ${found.subject}`);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * For a describe block: an SMTP sink and a Parley server sending to it (jobs polled
 * quickly), started before its tests and stopped after them.
 */
export function useMailServer(dialect: TestDialect, env: Record<string, string> = {}) {
  const started: { smtp?: SmtpSink; ts?: TestServer } = {};
  beforeAll(async () => {
    started.smtp = await startSmtpSink();
    started.ts = await startTestServer(dialect, { SMTP_URL: started.smtp.url, JOBS_POLL_MS: '50', ...env });
  });
  afterAll(async () => {
    await started.ts?.close();
    await started.smtp?.close();
  });
  const need = <T>(value: T | undefined): T => {
    if (!value) throw new Error('useMailServer: used outside its tests');
    return value;
  };
  return {
    get smtp() {
      return need(started.smtp);
    },
    get ts() {
      return need(started.ts);
    },
  };
}
