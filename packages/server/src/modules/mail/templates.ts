/**
 * Renders Parley's emails: every one has a plain-text and an HTML part saying the same,
 * in the recipient's language. Everything that comes from people (names, chat titles,
 * addresses) is escaped in the HTML part.
 */
import type { MailLanguage } from '@parley/protocol';
import { MAIL_TEXTS, type MailTexts } from './mail-texts.js';
import type { OutgoingMail } from './mailer.js';

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** Fills `{name}` placeholders. */
export const fill = (template: string, values: Record<string, string | number>) =>
  template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in values ? String(values[key]) : whole));

/** One block of an email: a paragraph, a button with its link, or a list of linked lines. */
type Block =
  | { kind: 'p'; text: string; strong?: boolean }
  | { kind: 'button'; label: string; url: string; fallback: string }
  | { kind: 'links'; items: { text: string; detail: string; label: string; url: string }[] }
  | { kind: 'small'; text: string; links?: { label: string; url: string }[] };

function textPart(blocks: Block[]): string {
  const out: string[] = [];
  for (const block of blocks) {
    if (block.kind === 'p') out.push(block.text);
    else if (block.kind === 'button') out.push(`${block.label}:\n${block.url}`);
    else if (block.kind === 'links')
      out.push(block.items.map((i) => `• ${i.text}${i.detail ? `\n  ${i.detail}` : ''}\n  ${i.url}`).join('\n'));
    else out.push([block.text, ...(block.links ?? []).map((l) => `${l.label}: ${l.url}`)].join('\n'));
  }
  return `${out.join('\n\n')}\n`;
}

const BUTTON =
  'display:inline-block;padding:10px 18px;border-radius:8px;background:#2f6df6;color:#ffffff;text-decoration:none;font-weight:600';

function htmlPart(language: MailLanguage, blocks: Block[]): string {
  const body = blocks
    .map((block) => {
      if (block.kind === 'p') {
        const text = escapeHtml(block.text).replace(/\n/g, '<br>');
        return block.strong ? `<p style="font-size:20px;font-weight:700;letter-spacing:2px">${text}</p>` : `<p>${text}</p>`;
      }
      if (block.kind === 'button') {
        const url = escapeHtml(block.url);
        return `<p><a href="${url}" style="${BUTTON}">${escapeHtml(block.label)}</a></p><p style="font-size:12px;color:#666">${escapeHtml(block.fallback)}<br><a href="${url}">${url}</a></p>`;
      }
      if (block.kind === 'links') {
        const items = block.items
          .map(
            (i) =>
              `<li style="margin-bottom:8px"><strong>${escapeHtml(i.text)}</strong>${i.detail ? `<br><span style="color:#555">${escapeHtml(i.detail)}</span>` : ''}<br><a href="${escapeHtml(i.url)}">${escapeHtml(i.label)}</a></li>`,
          )
          .join('');
        return `<ul style="padding-left:18px">${items}</ul>`;
      }
      const links = (block.links ?? [])
        .map((l) => `<a href="${escapeHtml(l.url)}" style="color:#666">${escapeHtml(l.label)}</a>`)
        .join(' · ');
      return `<p style="font-size:12px;color:#666">${escapeHtml(block.text)}${links ? `<br>${links}` : ''}</p>`;
    })
    .join('\n');
  return `<!doctype html><html lang="${language}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"></head><body style="font-family:system-ui,-apple-system,'Segoe UI',sans-serif;font-size:15px;line-height:1.5;color:#1b1b1f;max-width:560px;margin:0 auto;padding:24px">\n${body}\n</body></html>`;
}

function compose(language: MailLanguage, to: string, subject: string, blocks: Block[], headers?: Record<string, string>): OutgoingMail {
  return { to, subject, text: textPart(blocks), html: htmlPart(language, blocks), ...(headers && { headers }) };
}

const textsOf = (language: MailLanguage): MailTexts => MAIL_TEXTS[language];

export interface Recipient {
  email: string;
  name: string;
  language: MailLanguage;
}

export function verificationMail(to: Recipient, link: string, hours: number, change: boolean): OutgoingMail {
  const t = textsOf(to.language);
  return compose(to.language, to.email, change ? t.changeSubject : t.verifySubject, [
    { kind: 'p', text: fill(t.greeting, { name: to.name }) },
    { kind: 'p', text: fill(change ? t.changeBody : t.verifyBody, { email: to.email, hours }) },
    { kind: 'button', label: t.verifyButton, url: link, fallback: t.linkFallback },
    { kind: 'small', text: change ? t.changeIgnore : t.verifyIgnore },
    { kind: 'p', text: t.signature },
  ]);
}

export function passwordResetMail(to: Recipient, link: string, code: string, minutes: number): OutgoingMail {
  const t = textsOf(to.language);
  return compose(to.language, to.email, t.resetSubject, [
    { kind: 'p', text: fill(t.greeting, { name: to.name }) },
    { kind: 'p', text: fill(t.resetBody, { minutes }) },
    { kind: 'p', text: fill(t.resetCode, { code }), strong: true },
    { kind: 'button', label: t.resetButton, url: link, fallback: t.linkFallback },
    { kind: 'small', text: t.resetIgnore },
    { kind: 'p', text: t.signature },
  ]);
}

export interface DigestChat {
  title: string;
  unread: number;
  /** "Anna mentioned you: …" or the newest message's text, shortened. */
  detail: string;
  url: string;
}

export function digestMail(
  to: Recipient,
  chats: DigestChat[],
  delayMinutes: number,
  links: { unsubscribe: string; settings: string; oneClick: string },
): OutgoingMail {
  const t = textsOf(to.language);
  return compose(
    to.language,
    to.email,
    t.digestSubject,
    [
      { kind: 'p', text: fill(t.greeting, { name: to.name }) },
      { kind: 'p', text: t.digestIntro },
      {
        kind: 'links',
        items: chats.map((c) => ({
          text: fill(t.digestChatLine, { chat: c.title, count: c.unread }),
          detail: c.detail,
          label: t.digestOpen,
          url: c.url,
        })),
      },
      {
        kind: 'small',
        text: fill(t.digestFooter, { minutes: delayMinutes }),
        links: [
          { label: t.digestUnsubscribe, url: links.unsubscribe },
          { label: t.digestSettings, url: links.settings },
        ],
      },
    ],
    // RFC 8058: a POST to this address unsubscribes at once, without a page to confirm on.
    { 'List-Unsubscribe': `<${links.oneClick}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  );
}

export const mentionDetail = (language: MailLanguage, sender: string) => fill(textsOf(language).digestMention, { sender });
