/**
 * Summarises a V8 .cpuprofile (written by the Parley server under `--profile`): the
 * functions with the most self time, and self time grouped by where the code lives
 * (a package, a server module, Node internals) — the first thing to read when a
 * scenario misses its target.
 */
import fs from 'node:fs';
import path from 'node:path';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileRow {
  name: string;
  where: string;
  selfMs: number;
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  functions: ProfileRow[];
  areas: ProfileRow[];
}

/** Where a frame's code lives: an npm package, a workspace module, Node itself, or V8/GC. */
function areaOf(frame: CallFrame): string {
  const url = frame.url;
  if (!url) return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  if (url.startsWith('node:')) return 'node internals';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg?.[1]) return pkg[1];
  const workspace = /packages\/([^/]+)\/src\/(?:([^/]+)\/)?/.exec(url);
  if (workspace) return `@parley/${workspace[1]}${workspace[2] ? `/${workspace[2]}` : ''}`;
  return path.basename(url);
}

function top(map: Map<string, { name: string; where: string; micros: number }>, totalMicros: number, limit: number): ProfileRow[] {
  return [...map.values()]
    .sort((a, b) => b.micros - a.micros)
    .slice(0, limit)
    .map((row) => ({ name: row.name, where: row.where, selfMs: row.micros / 1000, share: row.micros / totalMicros }));
}

export function summarizeProfile(file: string, limit = 25): ProfileSummary {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const functions = new Map<string, { name: string; where: string; micros: number }>();
  const areas = new Map<string, { name: string; where: string; micros: number }>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    const frame = nodes.get(id)?.callFrame;
    if (!frame) return;
    total += delta;
    const where = frame.url ? `${frame.url.replace(/^file:\/\/.*?\/(node_modules|packages)\//, '$1/')}:${frame.lineNumber + 1}` : '';
    const name = frame.functionName || '(anonymous)';
    const key = `${name}@${where}`;
    const fn = functions.get(key) ?? { name, where, micros: 0 };
    fn.micros += delta;
    functions.set(key, fn);
    const area = areaOf(frame);
    const group = areas.get(area) ?? { name: area, where: '', micros: 0 };
    group.micros += delta;
    areas.set(area, group);
  });
  return { totalMs: total / 1000, functions: top(functions, total, limit), areas: top(areas, total, limit) };
}

export function printProfileSummary(file: string, limit: number): void {
  const summary = summarizeProfile(file, limit);
  const pct = (share: number) => `${(share * 100).toFixed(1).padStart(5)}%`;
  console.log(`${file}: ${summary.totalMs.toFixed(0)} ms sampled\n\nself time by area:`);
  for (const row of summary.areas) console.log(`${pct(row.share)}  ${row.selfMs.toFixed(0).padStart(7)} ms  ${row.name}`);
  console.log('\nfunctions by self time:');
  for (const row of summary.functions) console.log(`${pct(row.share)}  ${row.selfMs.toFixed(0).padStart(7)} ms  ${row.name}  ${row.where}`);
}
