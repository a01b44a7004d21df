/**
 * Sending mail: nodemailer over SMTP_URL. Without SMTP_URL nothing is sent — the server
 * says so (server info: `mail: false`, so clients promise no email) and logs what would
 * have gone out, so an operator trying Parley out can still follow a verification link.
 * Callers are job handlers (modules/jobs): a throw here is retried with backoff.
 */
import nodemailer from 'nodemailer';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Extra headers, e.g. List-Unsubscribe. */
  headers?: Record<string, string>;
}

export interface MailLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface Mailer {
  /** SMTP is configured: mail really leaves. */
  readonly configured: boolean;
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

export function createMailer(options: { smtpUrl: string | undefined; from: string; log: () => MailLog | null }): Mailer {
  if (!options.smtpUrl) {
    return {
      configured: false,
      async send(mail) {
        options.log()?.info({ to: mail.to, subject: mail.subject, text: mail.text }, 'mail not sent: SMTP_URL is not set');
      },
      close() {},
    };
  }
  const transport = nodemailer.createTransport(options.smtpUrl);
  return {
    configured: true,
    async send(mail) {
      await transport.sendMail({ from: options.from, ...mail });
    },
    close: () => transport.close(),
  };
}
