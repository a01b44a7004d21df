/**
 * Writes a language's messages back into its TypeScript source: the main file
 * (`locales/<lang>.ts`) and the area files it includes (`locales/<area>/<lang>.ts`, each
 * imported by name and listed as `admin,`). Every key goes back into the file it came from,
 * the files keep their shape — header comment, imports, `satisfies Translation`, the
 * comments above keys, the order of the messages given — and are formatted by biome as the
 * repository formats them. The files are read with the TypeScript parser, not by patterns.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import type { Translation } from '../src/i18n/locales/translation.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const SOURCE_LOCALES = path.join(ROOT, 'packages', 'web', 'src', 'i18n', 'locales');

/** One locale file as written today: what stands around its object, and what it includes. */
interface LocaleSource {
  file: string;
  /** Text before the exported object (header, imports, `export const ru = `). */
  head: string;
  /** Text after it (` satisfies Translation;`). */
  tail: string;
  /** Comments standing above a key, by dotted path. */
  comments: Map<string, string[]>;
  /** Groups written on one line (`roles: { admin: '…', user: '…' }`), which biome keeps on one. */
  inline: Set<string>;
  /** Keys listed by name (`admin,`) → the file and export the import names. */
  areas: Map<string, { file: string; exportName: string }>;
}

const keyName = (name: ts.PropertyName, source: ts.SourceFile) =>
  ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : name.getText(source);

function exportedObject(source: ts.SourceFile, exportName: string): ts.ObjectLiteralExpression {
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (!ts.isIdentifier(declaration.name) || declaration.name.text !== exportName || !declaration.initializer) continue;
      let value: ts.Expression = declaration.initializer;
      while (ts.isSatisfiesExpression(value) || ts.isAsExpression(value) || ts.isParenthesizedExpression(value)) value = value.expression;
      if (ts.isObjectLiteralExpression(value)) return value;
    }
  }
  throw new Error(`${source.fileName}: no \`export const ${exportName} = { … }\``);
}

function readLocaleSource(file: string, exportName: string): LocaleSource {
  const text = fs.readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const imports = new Map<string, { file: string; exportName: string }>();
  for (const statement of source.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const bindings = statement.importClause?.namedBindings;
    if (!bindings || !ts.isNamedImports(bindings)) continue;
    const target = path.resolve(path.dirname(file), statement.moduleSpecifier.text.replace(/\.js$/, '.ts'));
    for (const element of bindings.elements)
      imports.set(element.name.text, { file: target, exportName: (element.propertyName ?? element.name).text });
  }
  const object = exportedObject(source, exportName);
  const comments = new Map<string, string[]>();
  const areas: LocaleSource['areas'] = new Map();
  const inline = new Set<string>();
  const walk = (node: ts.ObjectLiteralExpression, prefix: string) => {
    // A comment after the last key belongs to no key: refuse rather than drop it.
    if ((ts.getLeadingCommentRanges(text, node.properties.end) ?? []).length > 0)
      throw new Error(`${file}: a comment stands before the \`}\` of ${prefix.slice(0, -1) || 'the messages'}; move it above a key`);
    for (const property of node.properties) {
      if (ts.isShorthandPropertyAssignment(property) && prefix === '') {
        const area = imports.get(property.name.text);
        if (!area) throw new Error(`${file}: \`${property.name.text}\` is not imported from an area file`);
        areas.set(property.name.text, area);
        continue;
      }
      if (!ts.isPropertyAssignment(property)) throw new Error(`${file}: only \`key: 'text'\` and \`key: { … }\` can be written back`);
      const key = prefix + keyName(property.name, source);
      const above = ts.getLeadingCommentRanges(text, property.getFullStart()) ?? [];
      if (above.length > 0)
        comments.set(
          key,
          above.map((range) => text.slice(range.pos, range.end)),
        );
      const group = property.initializer;
      if (!ts.isObjectLiteralExpression(group)) continue;
      const opening = text.slice(group.getStart(source), group.properties[0]?.getStart(source) ?? group.getEnd());
      if (!opening.includes('\n')) inline.add(key);
      walk(group, `${key}.`);
    }
  };
  walk(object, '');
  return { file, head: text.slice(0, object.getStart(source)), tail: text.slice(object.getEnd()), comments, inline, areas };
}

const quote = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
const isIdentifier = (key: string) => /^[A-Za-z_$][\w$]*$/.test(key);

/** A comment re-indented to stand above a key at `indent` (the lines of a `/** … *\/` keep their stars aligned). */
const indented = (comment: string, indent: string) =>
  comment
    .split('\n')
    .map((line, i) => (i === 0 ? indent + line.trim() : `${indent}${line.trim().startsWith('*') ? ' ' : ''}${line.trim()}`))
    .join('\n');

/** A group as one line; biome breaks it when it is too long, as it would break the original. */
function oneLine(messages: Translation): string {
  const entries = Object.entries(messages).map(
    ([key, value]) => `${isIdentifier(key) ? key : quote(key)}: ${typeof value === 'string' ? quote(value) : oneLine(value)}`,
  );
  return `{ ${entries.join(', ')} }`;
}

function literal(messages: Translation, source: LocaleSource, prefix = '', indent = '  '): string {
  const lines = Object.entries(messages).map(([key, value]) => {
    const dotted = prefix + key;
    const above = (source.comments.get(dotted) ?? []).map((comment) => `${indented(comment, indent)}\n`).join('');
    if (prefix === '' && source.areas.has(key)) return `${above}${indent}${key},`;
    const name = isIdentifier(key) ? key : quote(key);
    const written =
      typeof value === 'string'
        ? quote(value)
        : source.inline.has(dotted)
          ? oneLine(value)
          : literal(value, source, `${dotted}.`, `${indent}  `);
    return `${above}${indent}${name}: ${written},`;
  });
  return `{\n${lines.join('\n')}\n${indent.slice(2)}}`;
}

/**
 * Formats as the repository does: biome reads the text from stdin under the path the file
 * has (or, for a copy elsewhere, would have) in the repository, so its settings apply.
 */
function formatted(file: string, text: string, localeDir: string): string {
  const relative = path.relative(ROOT, path.join(SOURCE_LOCALES, path.relative(localeDir, file)));
  const biome = path.join(ROOT, 'node_modules', '.bin', 'biome');
  const result = spawnSync(biome, ['format', `--stdin-file-path=${relative}`], { cwd: ROOT, input: text, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`biome could not format ${file}:\n${result.stderr}`);
  return result.stdout;
}

/**
 * Writes `messages` (already checked against en.ts) into `language`'s files under
 * `localeDir`; returns the files whose text changed. Everything is prepared before the
 * first write, so a file that cannot be read leaves every file as it was.
 */
export function writeLocale(localeDir: string, language: string, messages: Translation): string[] {
  const main = readLocaleSource(path.join(localeDir, `${language}.ts`), language);
  const texts = new Map<string, string>();
  texts.set(main.file, `${main.head}${literal(messages, main)}${main.tail}`);
  for (const [key, { file, exportName }] of main.areas) {
    const strings = messages[key];
    if (strings === undefined || typeof strings === 'string') throw new Error(`${key} must be a group of messages, as in en.ts`);
    const area = readLocaleSource(file, exportName);
    texts.set(file, `${area.head}${literal(strings, area)}${area.tail}`);
  }
  const changed: string[] = [];
  const output = new Map([...texts].map(([file, text]) => [file, formatted(file, text, localeDir)]));
  for (const [file, text] of output) {
    if (fs.readFileSync(file, 'utf8') === text) continue;
    fs.writeFileSync(file, text);
    changed.push(file);
  }
  return changed;
}
