import { describe, expect, it } from 'vitest';
import { MAIL_TEXTS } from './mail-texts.js';
import { digestMail, passwordResetMail } from './templates.js';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('mail texts', () => {
  it('has every text in every language with the same placeholders as English', () => {
    for (const [language, texts] of Object.entries(MAIL_TEXTS)) {
      for (const [key, english] of Object.entries(MAIL_TEXTS.en)) {
        const text = texts[key as keyof typeof texts];
        expect(text, `${language}.${key}`).toBeTruthy();
        expect(placeholders(text), `${language}.${key}`).toEqual(placeholders(english));
      }
    }
  });

  it('escapes what people wrote in the HTML part and keeps it verbatim in the text part', () => {
    const to = { email: 'a@example.org', name: '<b>Eve</b> & co', language: 'ja' as const };
    const reset = passwordResetMail(to, 'https://x.example/reset-password?token=abc', '1234 5678', 30);
    expect(reset.html).toContain('&lt;b&gt;Eve&lt;/b&gt; &amp; co');
    expect(reset.text).toContain('<b>Eve</b> & co');
    expect(reset.subject).toBe('Parley のパスワードの再設定');
    const digest = digestMail(to, [{ title: '"><script>', unread: 2, detail: 'x', url: 'https://x.example/chats/1' }], 15, {
      unsubscribe: 'https://x.example/unsubscribe?token=t',
      oneClick: 'https://x.example/api/v1/notifications/unsubscribe?token=t',
      settings: 'https://x.example/settings',
    });
    expect(digest.html).not.toContain('<script>');
    expect(digest.headers).toEqual({
      'List-Unsubscribe': '<https://x.example/api/v1/notifications/unsubscribe?token=t>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
  });
});
