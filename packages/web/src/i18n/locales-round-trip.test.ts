/**
 * The translators' round trip (scripts/locales-json.ts, docs/translations.md) on a copy of
 * the locale files in a temporary folder: export to i18next JSON v4, change a string of the
 * main file and one of an area file, import. Exactly those two lines change, each in its
 * own file; the files still type-check with no unused import; a second export gives back
 * the edited JSON; a file that fails the locale check is refused and nothing is written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** The web package has no Node types (it is a browser app), so Node's modules come through its own loader. */
interface NodeFs {
  mkdtempSync(prefix: string): string;
  cpSync(from: string, to: string, options: { recursive: true }): void;
  readdirSync(dir: string, options: { recursive: true }): string[];
  statSync(file: string): { isFile(): boolean };
  readFileSync(file: string, encoding: 'utf8'): string;
  writeFileSync(file: string, text: string): void;
  rmSync(file: string, options: { recursive: true; force: true }): void;
}
interface Spawned {
  status: number | null;
  stdout: string;
  stderr: string;
}
interface NodeChildProcess {
  spawnSync(command: string, args: string[], options: { cwd?: string; encoding: 'utf8' }): Spawned;
}
const node = (globalThis as unknown as { process: { getBuiltinModule(id: string): unknown } }).process;
const fs = node.getBuiltinModule('node:fs') as NodeFs;
const { spawnSync } = node.getBuiltinModule('node:child_process') as NodeChildProcess;
const { tmpdir } = node.getBuiltinModule('node:os') as { tmpdir(): string };
const { fileURLToPath } = node.getBuiltinModule('node:url') as { fileURLToPath(url: URL): string };

const WEB = fileURLToPath(new URL('../..', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../..', import.meta.url));
const LOCALES = `${WEB}src/i18n/locales`;
const bin = (name: string) => `${ROOT}node_modules/.bin/${name}`;

type Strings = Record<string, string>;

function script(...args: string[]) {
  return spawnSync(bin('tsx'), [`${WEB}scripts/locales-json.ts`, ...args], { cwd: WEB, encoding: 'utf8' });
}

/** Every file under `dir`, relative path → text. */
function readTree(dir: string): Map<string, string> {
  const files = fs.readdirSync(dir, { recursive: true }).filter((file) => fs.statSync(`${dir}/${file}`).isFile());
  return new Map(files.map((file) => [file, fs.readFileSync(`${dir}/${file}`, 'utf8')]));
}

/** The lines of `after` that differ from `before`'s, side by side (both files as many lines). */
function changedLines(before: string, after: string) {
  const [a, b] = [before.split('\n'), after.split('\n')];
  expect(b.length).toBe(a.length);
  return a.flatMap((line, i) => (line === b[i] ? [] : [{ before: line, after: b[i] }]));
}

describe('locales:import after locales:export', () => {
  let tmp: string;
  let locales: string;
  let original: Map<string, string>;

  beforeAll(() => {
    tmp = fs.mkdtempSync(`${tmpdir()}/parley-locales-`);
    locales = `${tmp}/locales`;
    fs.cpSync(LOCALES, locales, { recursive: true });
    original = readTree(locales);
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('writes each changed string back into its own file, keeping the files’ shape', () => {
    const exported = script('export', '--locales', locales, '--json', `${tmp}/json`);
    expect(exported.status, exported.stderr).toBe(0);
    const jsonFile = `${tmp}/json/ru.json`;
    const ru = JSON.parse(fs.readFileSync(jsonFile, 'utf8')) as { app: Strings; admin: { tabs: Strings } };
    expect(ru.app.retry).toBe('Попробовать снова');
    expect(ru.admin.tabs.stats).toBe('Статистика');
    ru.app.retry = 'Ещё раз';
    ru.admin.tabs.stats = 'Цифры';
    fs.writeFileSync(jsonFile, `${JSON.stringify(ru, null, 2)}\n`);

    const imported = script('import', 'ru', '--locales', locales, '--json', `${tmp}/json`);
    expect(imported.status, imported.stderr).toBe(0);

    const after = readTree(locales);
    const changed = [...after.keys()].filter((file) => after.get(file) !== original.get(file));
    expect(changed.sort()).toEqual(['admin/ru.ts', 'ru.ts']);
    expect(changedLines(original.get('ru.ts') ?? '', after.get('ru.ts') ?? '')).toEqual([
      { before: "    retry: 'Попробовать снова',", after: "    retry: 'Ещё раз'," },
    ]);
    const [tabs] = changedLines(original.get('admin/ru.ts') ?? '', after.get('admin/ru.ts') ?? '');
    expect(tabs?.after).toBe(tabs?.before.replace("stats: 'Статистика'", "stats: 'Цифры'"));
    expect(tabs?.after).not.toBe(tabs?.before);

    // The files still compile, as the app's build would, and every import is still used.
    const typecheck = spawnSync(
      bin('tsc'),
      [
        '--noEmit',
        '--strict',
        '--noUnusedLocals',
        '--skipLibCheck',
        '--lib',
        'es2022',
        '--target',
        'es2022',
        '--module',
        'esnext',
        '--moduleResolution',
        'bundler',
        `${locales}/ru.ts`,
        `${locales}/en.ts`,
      ],
      { encoding: 'utf8' },
    );
    expect(typecheck.stdout + typecheck.stderr).toBe('');
    expect(typecheck.status).toBe(0);

    const again = script('export', '--locales', locales, '--json', `${tmp}/again`);
    expect(again.status, again.stderr).toBe(0);
    expect(fs.readFileSync(`${tmp}/again/ru.json`, 'utf8')).toBe(`${JSON.stringify(ru, null, 2)}\n`);
  });

  it('refuses a file that fails the locale check and writes nothing', () => {
    const jsonFile = `${tmp}/json/ko.json`;
    expect(script('export', '--locales', locales, '--json', `${tmp}/json`).status).toBe(0);
    const ko = JSON.parse(fs.readFileSync(jsonFile, 'utf8')) as { app: Strings; threads: Strings };
    ko.threads.title = '스레드 {{name}}';
    delete ko.app.retry;
    fs.writeFileSync(jsonFile, JSON.stringify(ko));
    const before = readTree(locales);
    const refused = script('import', 'ko', '--locales', locales, '--json', `${tmp}/json`);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('missing app.retry');
    expect(refused.stderr).toContain('threads.title: has {name}, en has {}');
    expect(readTree(locales)).toEqual(before);
  });
});
