/**
 * Automated accessibility checks with axe-core (WCAG 2 A and AA rules: names and labels,
 * roles, colour contrast…). They catch what a person can't easily see, like a button
 * without a name or grey text a shade too light. The screenshot suite runs them on every
 * screen it pictures.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Violation {
  id: string;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** Runs axe in the page (evaluate is not subject to the page's CSP) and returns the violations, readably. */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  const found = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: unknown[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations;
  });
  // Each problem with where it is and why (for contrast: the two colours and the ratio found).
  return (found as Violation[]).flatMap((v) => v.nodes.map((n) => `${v.id}: ${v.help} — ${n.target.join(' ')}: ${n.failureSummary ?? ''}`));
}
