/**
 * What a run produces: per scenario case, every target's metrics over the rounds
 * (median, min–max), the per-round ratios against the baselines measured in the same
 * rounds, and the goals checked against them.
 */
import type { MachineInfo, Placement } from './machine.js';
import { type Summary, summarize } from './stats.js';

export type Unit = 'per-second' | 'micros' | 'millis' | 'bytes' | 'share' | 'count' | 'fraction';

export interface Column {
  key: string;
  label: string;
  unit: Unit;
}

export interface TargetRow {
  target: string;
  metrics: Record<string, Summary>;
  rounds: number;
  /** Rounds in which the load generator used more than 90% of its core. */
  clientBoundRounds: number;
  /** Rounds in which the server or the generator waited for a CPU more than 10% of the time. */
  contendedRounds: number;
}

export interface Comparison {
  label: string;
  target: string;
  baseline: string;
  kind: 'ratio' | 'difference';
  unit: Unit;
  summary: Summary;
}

export interface Goal {
  text: string;
  met: boolean | null;
  detail: string;
}

export interface CaseResult {
  scenario: string;
  name: string;
  description: string;
  columns: Column[];
  rows: TargetRow[];
  comparisons: Comparison[];
  goals: Goal[];
  notes: string[];
}

export interface RunResult {
  command: string;
  startedAt: string;
  finishedAt: string;
  elapsedSeconds: number;
  quick: boolean;
  rounds: number;
  warmupMs: number;
  durationMs: number;
  machine: MachineInfo;
  placement: Placement;
  code: { commit: string; serverDirty: boolean; serverEntry: string | null };
  cases: CaseResult[];
}

export const CLIENT_BOUND_SHARE = 0.9;
export const CONTENDED_WAIT_SHARE = 0.1;

/** The generator's CPU share is recorded with every sample under this key. */
export const GENERATOR_SHARE = 'generatorShare';

/** Gathers one case's samples round by round and turns them into a CaseResult. */
export class CaseCollector {
  private readonly samples = new Map<string, Array<Record<string, number>>>();
  private readonly comparisons: Comparison[] = [];
  private readonly goals: Goal[] = [];
  readonly notes: string[] = [];

  constructor(
    readonly scenario: string,
    readonly name: string,
    readonly description: string,
    readonly columns: Column[],
  ) {}

  add(target: string, sample: Record<string, number>): void {
    const list = this.samples.get(target) ?? [];
    list.push(sample);
    this.samples.set(target, list);
  }

  has(target: string): boolean {
    return (this.samples.get(target)?.length ?? 0) > 0;
  }

  /** Values of one metric for one target, in round order. */
  values(target: string, key: string): number[] {
    return (this.samples.get(target) ?? []).map((s) => s[key] ?? Number.NaN);
  }

  summary(target: string, key: string): Summary {
    return summarize(this.values(target, key));
  }

  /** Compares round i of `target` with round i of `baseline` (they ran back to back). */
  compare(label: string, key: string, target: string, baseline: string, kind: 'ratio' | 'difference', unit: Unit): Summary | null {
    if (!this.has(target) || !this.has(baseline)) return null;
    const a = this.values(target, key);
    const b = this.values(baseline, key);
    const per = a.map((value, i) => (kind === 'ratio' ? value / (b[i] ?? Number.NaN) : value - (b[i] ?? Number.NaN)));
    const summary = summarize(per);
    this.comparisons.push({ label, target, baseline, kind, unit: kind === 'ratio' ? 'fraction' : unit, summary });
    return summary;
  }

  goal(text: string, met: boolean | null, detail: string): void {
    this.goals.push({ text, met, detail });
  }

  result(): CaseResult {
    const rows: TargetRow[] = [...this.samples.entries()].map(([target, list]) => ({
      target,
      metrics: Object.fromEntries(
        [...new Set(list.flatMap((s) => Object.keys(s)))].map((key) => [key, summarize(list.map((s) => s[key] ?? Number.NaN))]),
      ),
      rounds: list.length,
      clientBoundRounds: list.filter((s) => (s[GENERATOR_SHARE] ?? 0) > CLIENT_BOUND_SHARE).length,
      contendedRounds: list.filter(
        (s) => (s.serverWaitShare ?? 0) > CONTENDED_WAIT_SHARE || (s.generatorWaitShare ?? 0) > CONTENDED_WAIT_SHARE,
      ).length,
    }));
    return {
      scenario: this.scenario,
      name: this.name,
      description: this.description,
      columns: this.columns,
      rows,
      comparisons: this.comparisons,
      goals: this.goals,
      notes: this.notes,
    };
  }
}
