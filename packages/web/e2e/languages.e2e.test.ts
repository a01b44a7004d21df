/**
 * The main screens in each of the five languages (desktop, light theme), as a browser set to
 * that language shows them by default: sign-in, a conversation, group info and settings.
 * Each is checked by axe and for sideways overflow (longer Russian words, CJK line breaks),
 * and saved as a PNG — to docs/screenshots/languages with PARLEY_SCREENSHOTS=1, otherwise
 * to test-results/.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../server/src/test/test-server.js';
import { en, type Messages } from '../src/i18n/locales/en.js';
import { ja } from '../src/i18n/locales/ja.js';
import { ko } from '../src/i18n/locales/ko.js';
import { ru } from '../src/i18n/locales/ru.js';
import { zh } from '../src/i18n/locales/zh.js';
import { captureScreen } from './capture.js';
import { CHROMIUM_AVAILABLE, launchChromium, messageRow, pageErrors, screenshotOnFailure, startAppServer } from './harness.js';
import { online, seedScene } from './scene.js';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const OUT_DIR =
  process.env.PARLEY_SCREENSHOTS === '1'
    ? path.join(REPO, 'docs', 'screenshots', 'languages')
    : path.join(REPO, 'test-results', 'languages');

/** The browser's language, the words the app should then use, and the html lang it sets. */
const LANGUAGES: { code: string; browser: string; words: Messages; htmlLang: string }[] = [
  { code: 'en', browser: 'en-GB', words: en, htmlLang: 'en' },
  { code: 'ru', browser: 'ru-RU', words: ru as unknown as Messages, htmlLang: 'ru' },
  { code: 'zh', browser: 'zh-CN', words: zh as unknown as Messages, htmlLang: 'zh-Hans' },
  { code: 'ja', browser: 'ja-JP', words: ja as unknown as Messages, htmlLang: 'ja' },
  { code: 'ko', browser: 'ko-KR', words: ko as unknown as Messages, htmlLang: 'ko' },
];

describe.skipIf(!CHROMIUM_AVAILABLE)('the main screens in five languages', () => {
  let ts: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    [ts, browser] = await Promise.all([startAppServer(), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await ts?.close();
  });
  afterEach(async (context) => {
    await screenshotOnFailure(context);
    expect(pageErrors).toEqual([]);
  });

  for (const { code, browser: browserLanguage, words, htmlLang } of LANGUAGES) {
    it(`in ${code}: sign-in, a conversation, group info and settings speak it and pass axe`, async () => {
      const scene = await seedScene(ts, `l${code}`);
      const offline = await online(ts, [scene.grace]);
      const context = await browser.newContext({
        baseURL: ts.url,
        viewport: { width: 1280, height: 800 },
        colorScheme: 'light',
        locale: browserLanguage,
        timezoneId: 'UTC',
        deviceScaleFactor: 1,
      });
      context.setDefaultTimeout(10_000);
      const page: Page = await context.newPage();
      page.on('pageerror', (error) => pageErrors.push(error));
      page.on('console', (message) => {
        if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) pageErrors.push(new Error(message.text()));
      });
      const chatLink = (name: string) =>
        page
          .getByRole('navigation', { name: words.chatList.label })
          .getByRole('link')
          .filter({ has: page.locator('.chat-row-name', { hasText: name }) });
      try {
        await page.goto('/signin');
        await page.getByRole('heading', { name: words.auth.signInTitle }).waitFor();
        expect(await page.evaluate(() => document.documentElement.lang)).toBe(htmlLang);
        await captureScreen(page, OUT_DIR, `sign-in-${code}`);

        await page.getByLabel(words.auth.login).fill(scene.ada.account.username);
        await page.getByLabel(words.auth.password, { exact: true }).fill(scene.ada.account.password);
        await page.getByRole('button', { name: words.auth.signIn, exact: true }).click();
        await page.getByRole('heading', { name: words.shell.chats }).waitFor();

        await chatLink('Grace Hopper').click();
        await messageRow(page, 'See you there!').locator('.bubble-meta [data-delivery="read"]').waitFor();
        await page.locator('.conversation-header .pane-header-subtitle', { hasText: words.presence.online }).waitFor();
        await captureScreen(page, OUT_DIR, `chat-${code}`);

        await chatLink('Analytical Engine').click();
        await messageRow(page, 'budget meeting').waitFor();
        // "4 members, 1 online", joined with the language's own separator (、 in Japanese, ， in Chinese).
        const plural = (forms: Record<string, string>, key: string, count: number) =>
          (forms[`${key}_${new Intl.PluralRules(code).select(count)}`] ?? forms[`${key}_other`] ?? '').replace(
            /\{\{count(, number)?\}\}/,
            new Intl.NumberFormat(code).format(count),
          );
        const chatWords = words.chat as unknown as Record<string, string>;
        const subtitle = words.chat.membersOnline
          .replace('{{members}}', plural(chatWords, 'members', 4))
          .replace('{{online}}', plural(chatWords, 'online', 1));
        await page.locator('.conversation-header .pane-header-subtitle', { hasText: subtitle }).waitFor();
        await page.getByRole('button', { name: words.chat.info }).click();
        await page.getByRole('heading', { name: words.info.title.group }).waitFor();
        await page.getByTestId('member-row').nth(3).waitFor();
        await captureScreen(page, OUT_DIR, `group-info-${code}`);
        await page.getByRole('button', { name: words.info.close }).click();

        await page.getByRole('button', { name: words.shell.accountMenu }).click();
        await page.getByRole('menuitem', { name: words.shell.settings, exact: true }).click();
        await page.getByRole('heading', { name: words.settings.title, level: 1 }).waitFor();
        await page.getByRole('heading', { name: words.settings.language.title }).scrollIntoViewIfNeeded();
        await captureScreen(page, OUT_DIR, `settings-${code}`);
      } finally {
        offline();
        await context.close();
      }
      // Five screens with axe each, on a shared machine.
    }, 90_000);
  }
});
