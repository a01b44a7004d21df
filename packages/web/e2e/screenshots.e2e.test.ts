/**
 * Renders the main screens at desktop and phone size in both themes, checks that
 * nothing spills past the screen's edge and that axe finds no WCAG A/AA violations
 * (labels, roles, contrast), and saves a PNG of each. With
 * PARLEY_SCREENSHOTS=1 (`npm run screenshots -w @parley/web`) they replace the ones in
 * docs/screenshots; otherwise they go to test-results/ so a test run leaves the
 * repository untouched.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../server/src/test/test-server.js';
import { captureScreen } from './capture.js';
import {
  CHROMIUM_AVAILABLE,
  chatLink,
  launchChromium,
  messageRow,
  newAccount,
  newChatMenu,
  openDevice,
  openSettings,
  pageErrors,
  registerAccount,
  screenshotOnFailure,
  signIn,
  startAppServer,
  type VIEWPORTS,
} from './harness.js';
import { online, seedScene } from './scene.js';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const REFRESH = process.env.PARLEY_SCREENSHOTS === '1';
const OUT_DIR = REFRESH ? path.join(REPO, 'docs', 'screenshots') : path.join(REPO, 'test-results', 'screenshots');

type Viewport = keyof typeof VIEWPORTS;
type Theme = 'light' | 'dark';
/** Refreshing docs takes every size in both themes; an ordinary test run checks two of the four to stay quick. */
const COMBINATIONS: [Viewport, Theme][] = REFRESH
  ? [
      ['desktop', 'light'],
      ['desktop', 'dark'],
      ['phone', 'light'],
      ['phone', 'dark'],
    ]
  : [
      ['desktop', 'light'],
      ['phone', 'dark'],
    ];

const capture = (page: Page, name: string) => captureScreen(page, OUT_DIR, name);

describe.skipIf(!CHROMIUM_AVAILABLE)('screenshots of the main screens', () => {
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

  for (const [viewport, theme] of COMBINATIONS) {
    const suffix = `${viewport}-${theme}`;
    const phone = viewport === 'phone';

    it(`sign-in, sign-up and settings at ${viewport} size in the ${theme} theme`, async () => {
      // Fixed names, so the pictures read the same on every run.
      const taken = await registerAccount(ts, { ...newAccount(), username: `grace_${viewport}_${theme}` });
      const username = `ada_${viewport}_${theme}`;
      const account = await registerAccount(ts, { ...newAccount(), username, email: `${username}@example.org` });
      const { context, page } = await openDevice(browser, ts, { viewport, colorScheme: theme });

      await page.goto('/signin');
      await page.getByRole('heading', { name: 'Sign in to Parley' }).waitFor();
      await capture(page, `sign-in-${suffix}`);

      await page.goto('/signup');
      await page.getByLabel('Email').fill('grace@example.org');
      await page.getByLabel('Username').fill(taken.username);
      await page.getByText(`@${taken.username} is already taken`).waitFor();
      await page.getByLabel('Email').focus();
      await capture(page, `sign-up-${suffix}`);

      await signIn(page, account.username, account.password);
      await page.getByText('No conversations yet').waitFor();
      await capture(page, `app-empty-${suffix}`);
      await openSettings(page);
      await page.getByLabel('Display name').fill('Ada Lovelace');
      await page.getByLabel('Status').fill('Working on the Analytical Engine');
      await page.getByRole('button', { name: 'Save profile' }).click();
      await page.getByText('Profile saved.').waitFor();
      await page.locator('.session-row').first().waitFor();
      await page.getByLabel('Display name').blur();
      await capture(page, `settings-${suffix}`);
      await page.getByRole('heading', { name: 'Active sessions' }).scrollIntoViewIfNeeded();
      await capture(page, `settings-sessions-${suffix}`);
      await context.close();
    });

    it(`the chat list, a conversation, its menu, group info and the room directory at ${viewport} size in the ${theme} theme`, async () => {
      const tag = `${viewport[0]}${theme[0]}`;
      const scene = await seedScene(ts, tag);
      const offline = await online(ts, [scene.grace, scene.katherine]);
      const { context, page } = await openDevice(browser, ts, { viewport, colorScheme: theme });
      try {
        await signIn(page, scene.ada.account.username, scene.ada.account.password);
        await chatLink(page, 'Grace Hopper').waitFor();
        await chatLink(page, 'Alan Turing').locator('.unread-badge').waitFor();
        if (phone) await capture(page, `chat-list-${suffix}`);

        await chatLink(page, 'Grace Hopper').click();
        await messageRow(page, 'See you there!').locator('.bubble-meta [data-delivery="read"]').waitFor();
        await page.locator('.conversation-header .pane-header-subtitle', { hasText: 'online' }).waitFor();
        await page.getByRole('combobox', { name: 'Message' }).fill('Looking forward to it — bringing the *punch cards*');
        await capture(page, `chat-${suffix}`);

        await messageRow(page, 'Tomorrow at 10')
          .locator('.bubble')
          .click({ button: 'right', position: { x: 20, y: 12 } });
        await page.getByRole('menu', { name: 'Message actions' }).waitFor();
        await capture(page, `message-menu-${suffix}`);
        await page.keyboard.press('Escape');

        if (phone) await page.getByRole('button', { name: 'Back' }).click();
        await chatLink(page, 'Analytical Engine').click();
        await messageRow(page, 'budget meeting').waitFor();
        await page.getByRole('button', { name: 'Chat info' }).click();
        await page.getByRole('heading', { name: 'Group info' }).waitFor();
        await page.getByTestId('member-row').nth(3).waitFor();
        await capture(page, `group-info-${suffix}`);
        await page.getByRole('button', { name: 'Close chat info' }).click();

        if (phone) await page.getByRole('button', { name: 'Back' }).click();
        await newChatMenu(page, 'Browse rooms');
        const rooms = page.getByRole('dialog', { name: 'Rooms' });
        await rooms.getByLabel('Search rooms').fill(`books-${tag}`);
        await rooms.getByText(`#books-${tag}`).waitFor();
        await rooms.getByText('#books-', { exact: false }).nth(1).waitFor({ state: 'detached' });
        await capture(page, `rooms-${suffix}`);
      } finally {
        offline();
        await context.close();
      }
    });
  }
});
