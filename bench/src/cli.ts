/**
 * `npm run bench -- <scenario…|all> [options]`: runs the scenarios against Parley and
 * the baselines, prints the ratio table, and writes bench/results/<time>.{json,md}
 * plus latest.{json,md}. `npm run bench -- profile <file.cpuprofile>` summarises a
 * CPU profile written with --profile.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { FULL_SIZES, QUICK_SIZES } from './context.js';
import { pinProcess, planPlacement } from './machine.js';
import { printProfileSummary } from './profile-summary.js';
import { renderRatioTable, writeRun } from './report.js';
import { runBench, SCENARIO_NAMES, type ScenarioName } from './run.js';

const USAGE = `usage: npm run bench -- <${SCENARIO_NAMES.join('|')}|all>… [options]
       npm run bench -- profile <file.cpuprofile> [--top N]

options:
  --quick            smaller rooms and socket counts, short rounds (about 7 minutes for all)
  --rounds N         rounds per scenario (default 3; at least 3 for published numbers)
  --duration MS      measured time per round (default 5000, quick 1500)
  --warmup MS        warm-up before each measurement (default 1000, quick 500)
  --profile          CPU-profile the servers during each measured window (bench/results/profiles/<time>/)
                     and print a summary of each profile; combine with --only parley
  --no-pin           do not pin server and generator to separate cores
  --no-postgres      skip what needs PostgreSQL: dm's PostgreSQL cases and the cluster scenario
  --search-messages N  messages the search scenario generates and indexes (default 1,000,000, quick 100,000)
  --only T1,T2       measure only these targets: relay, socketio, parley (parley-sqlite, parley-postgres,
                     parley-postgres-pool1, parley-postgres-pool16, parley-single, parley-cluster)

environment:
  PARLEY_BENCH_PG_URL     PostgreSQL admin URL (default postgres://postgres@127.0.0.1:5432/postgres)
  PARLEY_BENCH_REDIS_URL  Redis for the cluster scenario (default redis://127.0.0.1:6379/15: a database of its own)
  PARLEY_BENCH_SERVER     another Parley server entry to measure (a candidate change)
  --no-write         print only; do not write bench/results
  --top N            rows of a profile summary (default 25)`;

const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      quick: { type: 'boolean', default: false },
      rounds: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      profile: { type: 'boolean', default: false },
      'no-pin': { type: 'boolean', default: false },
      'no-postgres': { type: 'boolean', default: false },
      'no-write': { type: 'boolean', default: false },
      only: { type: 'string' },
      'search-messages': { type: 'string' },
      top: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help || positionals.length === 0) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  if (positionals[0] === 'profile') {
    const file = positionals[1];
    if (!file) {
      console.error(USAGE);
      return 2;
    }
    printProfileSummary(file, Number(values.top ?? 25));
    return 0;
  }
  const wanted = positionals.includes('all') ? SCENARIO_NAMES : positionals;
  const unknown = wanted.filter((name) => !SCENARIO_NAMES.includes(name as ScenarioName));
  if (unknown.length > 0) {
    console.error(`unknown scenario: ${unknown.join(', ')}\n${USAGE}`);
    return 2;
  }
  const rounds = Number(values.rounds ?? 3);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error('--rounds must be a positive integer');
  if (rounds < 3) console.warn('note: fewer than 3 rounds; medians of so few rounds are not worth publishing');
  const placement = planPlacement(!values['no-pin']);
  if (placement.generatorCore !== null) pinProcess(process.pid, placement.generatorCore);
  const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
  const profileDir = values.profile ? path.join(benchDir, 'results', 'profiles', new Date().toISOString().replace(/[:.]/g, '-')) : null;
  log(`placement: ${placement.description}`);
  const { run, failures } = await runBench({
    command: `npm run bench -- ${process.argv.slice(2).join(' ')}`,
    scenarios: wanted as ScenarioName[],
    quick: values.quick,
    rounds,
    warmupMs: Number(values.warmup ?? (values.quick ? 500 : 1000)),
    durationMs: Number(values.duration ?? (values.quick ? 1500 : 5000)),
    sizes: {
      ...(values.quick ? QUICK_SIZES : FULL_SIZES),
      ...(values['search-messages'] && { searchMessages: Number(values['search-messages']) }),
    },
    placement,
    cpuProfileDir: profileDir,
    postgres: !values['no-postgres'],
    only: values.only ? values.only.split(',').map((t) => t.trim()) : [],
    log,
  });
  console.log(`\n${renderRatioTable(run).join('\n')}\n`);
  if (!values['no-write']) {
    const complete = SCENARIO_NAMES.every((name) => wanted.includes(name)) && failures.length === 0 && !values.only;
    const written = writeRun(path.join(benchDir, 'results'), run, complete);
    log(`results: ${path.relative(process.cwd(), written.markdown)} (and .json); ${path.relative(process.cwd(), written.latest)}`);
  }
  if (profileDir && fs.existsSync(profileDir)) {
    for (const file of fs.readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'))) {
      console.log('');
      printProfileSummary(path.join(profileDir, file), Number(values.top ?? 15));
    }
  }
  for (const failure of failures) console.error(`scenario ${failure.scenario} failed`);
  return failures.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
