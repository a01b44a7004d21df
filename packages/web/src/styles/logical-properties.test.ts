/**
 * Every stylesheet of the app lays out by logical properties (padding-inline-start, inset-inline…),
 * so a right-to-left message — and later a right-to-left interface — mirrors instead of
 * putting a quote's padding on the side of its bar. A rule that must be physical says so in a
 * comment right before it ("Physical on purpose"), as the bubble's time and ticks do.
 */
import { describe, expect, it } from 'vitest';

const PHYSICAL_PROPERTY =
  /^(margin|padding|border)-(left|right)(-|$)|^(left|right)$|^border-(top|bottom)-(left|right)-radius$|^scroll-(margin|padding)-(left|right)$/;
const PHYSICAL_VALUE: Record<string, RegExp> = {
  'text-align': /^(left|right)$/,
  float: /^(left|right)$/,
  clear: /^(left|right)$/,
  transform: /translateX\(|translate\([^,)]+,/,
};
/** Four-value shorthands whose second and fourth values (right, left) differ. */
const SIDED_SHORTHAND = /^(margin|padding|inset|border-width|border-style|border-color|scroll-margin|scroll-padding)$/;

/** The declarations of `css` that name a physical side, as "selector { property: value }". */
function physicalDeclarations(css: string): string[] {
  const found: string[] = [];
  // Innermost blocks: a rule's prelude (with the comment before it) and its declarations.
  for (const [, prelude = '', body = ''] of css.matchAll(/([^{}]*)\{([^{}]*)\}/g)) {
    if (/physical on purpose/i.test(prelude)) continue;
    const selector = prelude
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .trim()
      .replace(/\s+/g, ' ');
    for (const declaration of body.replace(/\/\*[\s\S]*?\*\//g, '').split(';')) {
      const colon = declaration.indexOf(':');
      if (colon === -1) continue;
      const property = declaration.slice(0, colon).trim();
      const value = declaration.slice(colon + 1).trim();
      const values = value.split(/\s+(?![^(]*\))/);
      const physical =
        PHYSICAL_PROPERTY.test(property) ||
        PHYSICAL_VALUE[property]?.test(value) ||
        (SIDED_SHORTHAND.test(property) && values.length === 4 && values[1] !== values[3]);
      if (physical) found.push(`${selector} { ${property}: ${value} }`);
    }
  }
  return found;
}

/**
 * The app's stylesheets as text. Vitest turns imported CSS (even `?raw`) into empty strings, and
 * the web package has no Node types, so the files are read through Node's own module loader.
 */
interface NodeFs {
  readFileSync(path: URL, encoding: 'utf8'): string;
}
const nodeProcess = (globalThis as unknown as { process: { getBuiltinModule(id: string): unknown } }).process;
const fs = nodeProcess.getBuiltinModule('node:fs') as NodeFs;
const sheets = Object.fromEntries(
  Object.keys(import.meta.glob('../**/*.css')).map((file) => [file, fs.readFileSync(new URL(file, import.meta.url), 'utf8')]),
);

describe('stylesheets', () => {
  it('are found and read', () => {
    expect(Object.keys(sheets).length).toBeGreaterThan(20);
    expect(sheets['./conversation.css']).toContain('.bubble-meta');
  });

  it('use logical properties for left and right', () => {
    const found = Object.entries(sheets).flatMap(([file, css]) => physicalDeclarations(css).map((d) => `${file}: ${d}`));
    expect(found).toEqual([]);
  });

  it('notices physical sides, asymmetric four-value shorthands and sideways transforms, but not a rule marked on purpose', () => {
    const css = `
      .a { margin-left: 4px; padding: 1px 2px 3px 4px; }
      @media (max-width: 480px) { .b { right: 0; border-right: 1px solid; text-align: left; } }
      .c { padding: 1px 2px 3px 2px; margin: 0 auto; transform: translateX(-50%); }
      /* Physical on purpose: the end of a left-to-right line. */
      .d { right: 10px; }
      .e { inset-inline-start: 3px; padding-inline: 4px 10px; }
    `;
    expect(physicalDeclarations(css)).toEqual([
      '.a { margin-left: 4px }',
      '.a { padding: 1px 2px 3px 4px }',
      '.b { right: 0 }',
      '.b { border-right: 1px solid }',
      '.b { text-align: left }',
      '.c { transform: translateX(-50%) }',
    ]);
  });
});
