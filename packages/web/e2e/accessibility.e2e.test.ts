/**
 * Automated accessibility checks (axe-core, WCAG 2 A and AA rules: names and labels,
 * roles, colour contrast…) on the main screens in both themes. They catch what a person
 * can't easily see, like a button without a name or grey text a shade too light.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../server/src/test/test-server.js';
import {
  CHROMIUM_AVAILABLE,
  chatLink,
  launchChromium,
  messageRow,
  newChatMenu,
  openDevice,
  openSettings,
  pageErrors,
  screenshotOnFailure,
  signIn,
  startAppServer,
} from './harness.js';
import { seedScene } from './scene.js';

const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Violation {
  id: string;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** Runs axe in the page (evaluate is not subject to the page's CSP) and returns the violations, readably. */
async function violations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const found = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: unknown[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations;
  });
  // Each problem with where it is and why (for contrast: the two colours and the ratio found).
  return (found as Violation[]).flatMap((v) => v.nodes.map((n) => `${v.id}: ${v.help} — ${n.target.join(' ')}: ${n.failureSummary ?? ''}`));
}

describe.skipIf(!CHROMIUM_AVAILABLE)('accessibility', () => {
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

  for (const theme of ['light', 'dark'] as const) {
    it(`finds no WCAG A/AA violations on sign-in, the chat list, a conversation, group info, a dialog and settings (${theme})`, async () => {
      const scene = await seedScene(ts, `a11y${theme[0]}`);
      const { context, page } = await openDevice(browser, ts, { colorScheme: theme });
      await page.goto('/signin');
      await page.getByRole('heading', { name: 'Sign in to Parley' }).waitFor();
      expect(await violations(page)).toEqual([]);
      await signIn(page, scene.ada.account.username, scene.ada.account.password);
      await chatLink(page, 'Grace Hopper').click();
      await messageRow(page, 'See you there!').waitFor();
      expect(await violations(page)).toEqual([]);

      await chatLink(page, 'Analytical Engine').click();
      await messageRow(page, 'budget meeting').waitFor();
      await page.getByRole('button', { name: 'Chat info' }).click();
      await page.getByTestId('member-row').nth(3).waitFor();
      expect(await violations(page)).toEqual([]);

      await newChatMenu(page, 'New group');
      await page.getByRole('dialog', { name: 'New group' }).waitFor();
      expect(await violations(page)).toEqual([]);
      await page.keyboard.press('Escape');

      await openSettings(page);
      await page.locator('.session-row').first().waitFor();
      expect(await violations(page)).toEqual([]);
      await context.close();
    });
  }
});
