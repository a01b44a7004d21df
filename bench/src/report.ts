/** Renders a run as markdown (bench/results/*.md, docs/performance.md) and writes the files. */
import fs from 'node:fs';
import path from 'node:path';
import type { CaseResult, Comparison, RunResult, Unit } from './results.js';
import type { Summary } from './stats.js';

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatValue(value: number, unit: Unit): string {
  if (Number.isNaN(value)) return 'n/a';
  switch (unit) {
    case 'per-second':
    case 'count':
      return grouped.format(value);
    case 'micros':
      return value.toFixed(value < 10 ? 2 : 1);
    case 'millis':
      return value.toFixed(value < 10 ? 2 : 1);
    case 'bytes':
      return value >= 10_240 ? `${(value / 1024).toFixed(1)} KiB` : `${grouped.format(value)} B`;
    case 'share':
      return `${Math.round(value * 100)}%`;
    case 'fraction':
      return `${value.toFixed(2)}×`;
  }
}

function formatSummary(summary: Summary | undefined, unit: Unit): string {
  if (!summary) return '–';
  if (summary.values.length <= 1 || summary.min === summary.max) return formatValue(summary.median, unit);
  return `${formatValue(summary.median, unit)} (${formatValue(summary.min, unit)}–${formatValue(summary.max, unit)})`;
}

function formatComparison(comparison: Comparison): string {
  const { summary, kind, unit } = comparison;
  if (kind === 'ratio') return formatSummary(summary, 'fraction');
  const signed = (v: number) => `${v >= 0 ? '+' : ''}${formatValue(v, unit)}`;
  if (summary.values.length <= 1) return `${signed(summary.median)} ms`;
  return `${signed(summary.median)} ms (${signed(summary.min)}…${signed(summary.max)})`;
}

const TARGET_NAMES: Record<string, string> = {
  relay: 'raw ws relay',
  socketio: 'Socket.IO',
  parley: 'Parley',
  'parley-sqlite': 'Parley (SQLite)',
  'parley-postgres': 'Parley (PostgreSQL)',
  'parley-single': 'Parley, 1 instance (PostgreSQL)',
  'parley-cluster': 'Parley cluster + Redis (PostgreSQL)',
};
export function targetName(target: string): string {
  const pool = /^parley-postgres-pool(\d+)$/.exec(target)?.[1];
  if (pool) return `Parley (PostgreSQL, ${pool} connection${pool === '1' ? '' : 's'})`;
  return TARGET_NAMES[target] ?? target;
}

function renderCase(result: CaseResult): string[] {
  const lines = [`### ${result.scenario}: ${result.name}`, '', result.description, ''];
  const header = ['target', ...result.columns.map((c) => c.label), 'server CPU', 'generator CPU', 'waited for CPU (server / generator)'];
  lines.push(`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`);
  for (const row of result.rows) {
    const bound = row.clientBoundRounds > 0 ? ` ⚠ client-bound ${row.clientBoundRounds}/${row.rounds}` : '';
    const contended = row.contendedRounds > 0 ? ` ⚠ contended ${row.contendedRounds}/${row.rounds}` : '';
    const cells = [
      targetName(row.target),
      ...result.columns.map((c) => formatSummary(row.metrics[c.key], c.unit)),
      formatSummary(row.metrics.serverShare, 'share'),
      `${formatSummary(row.metrics.generatorShare, 'share')}${bound}`,
      `${formatValue(row.metrics.serverWaitShare?.median ?? Number.NaN, 'share')} / ${formatValue(row.metrics.generatorWaitShare?.median ?? Number.NaN, 'share')}${contended}`,
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  lines.push('');
  for (const comparison of result.comparisons) {
    lines.push(
      `- ${comparison.label}: ${targetName(comparison.target)} vs ${targetName(comparison.baseline)} = **${formatComparison(comparison)}**`,
    );
  }
  for (const goal of result.goals) {
    const mark = goal.met === null ? '–' : goal.met ? '✅' : '❌';
    lines.push(`- ${mark} goal: ${goal.text} — ${goal.detail}`);
  }
  for (const note of result.notes) lines.push(`- note: ${note}`);
  lines.push('');
  return lines;
}

/** The one-screen summary printed at the end of every run. */
export function renderRatioTable(run: RunResult): string[] {
  const lines = ['| scenario | case | measure | ratio / difference (median, min–max over rounds) | goal |', '|---|---|---|---|---|'];
  for (const result of run.cases) {
    const goals = result.goals.map((g) => `${g.met === null ? '–' : g.met ? '✅' : '❌'} ${g.text}`).join('; ') || '–';
    if (result.comparisons.length === 0) lines.push(`| ${result.scenario} | ${result.name} | – | – | ${goals} |`);
    result.comparisons.forEach((comparison, i) => {
      const measure = `${comparison.label}: ${targetName(comparison.target)} vs ${targetName(comparison.baseline)}`;
      lines.push(`| ${result.scenario} | ${result.name} | ${measure} | ${formatComparison(comparison)} | ${i === 0 ? goals : ''} |`);
    });
  }
  return lines;
}

export function renderRun(run: RunResult): string {
  const m = run.machine;
  const lines = [
    `# Parley benchmark results${run.quick ? ' (quick)' : ''}`,
    '',
    `Run \`${run.command}\` on ${run.startedAt} (${Math.round(run.elapsedSeconds)} s) at commit ${run.code.commit}` +
      `${run.code.serverDirty ? ' with uncommitted server changes' : ''}` +
      `${run.code.serverEntry ? `, Parley server from ${run.code.serverEntry}` : ''}. ` +
      `${run.rounds} rounds, ${run.warmupMs} ms warm-up + ${run.durationMs} ms measured per round; targets alternate within each round.`,
    '',
    `Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB RAM, ${m.os}, Node ${m.node}, ` +
      `open-file limit ${m.openFileLimit ?? 'unknown'}, load average before the run ${m.loadAverage.join(' / ')}. ` +
      `Placement: ${run.placement.description}.`,
    '',
    'Cells are medians over rounds with (min–max). Ratios and differences are computed round by round against the baseline ' +
      'measured in the same round, then summarised. "client-bound" marks rounds where the load generator used more than 90% ' +
      'of its core: there the number is a floor, not the server’s limit. "contended" marks rounds where the server or the ' +
      'generator was ready to run but waited for a CPU more than 10% of the time (other work on the machine): ratios ' +
      'hold up better than absolute numbers there.',
    '',
    '## Summary',
    '',
    ...renderRatioTable(run),
    '',
    '## Details',
    '',
  ];
  for (const result of run.cases) lines.push(...renderCase(result));
  return `${lines.join('\n')}\n`;
}

/**
 * Writes <stamp>.json and <stamp>.md, and refreshes latest.json / latest.md — the files
 * kept in git, so only a full run of every scenario replaces them; quick and partial
 * runs refresh latest-quick.* / latest-partial.* instead.
 */
export function writeRun(outDir: string, run: RunResult, complete: boolean): { json: string; markdown: string; latest: string } {
  fs.mkdirSync(outDir, { recursive: true });
  const kind = run.quick ? '-quick' : complete ? '' : '-partial';
  const stamp = `${run.startedAt.replace(/[:.]/g, '-')}${kind}`;
  const json = `${JSON.stringify(run, null, 2)}\n`;
  const markdown = renderRun(run);
  const jsonPath = path.join(outDir, `${stamp}.json`);
  const markdownPath = path.join(outDir, `${stamp}.md`);
  fs.writeFileSync(jsonPath, json);
  fs.writeFileSync(markdownPath, markdown);
  fs.writeFileSync(path.join(outDir, `latest${kind}.json`), json);
  fs.writeFileSync(path.join(outDir, `latest${kind}.md`), markdown);
  return { json: jsonPath, markdown: markdownPath, latest: path.join(outDir, `latest${kind}.md`) };
}
