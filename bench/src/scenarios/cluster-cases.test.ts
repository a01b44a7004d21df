import { describe, expect, it } from 'vitest';
import { targetName } from '../report.js';
import { fixedRate } from './cluster-cases.js';

describe('fixedRate: the latency cases’ load, a share of the lower flat-out rate of the round', () => {
  it('takes the share of the slower target, rounded to whole messages per second', () => {
    expect(fixedRate(0.5, [846.8, 423.4])).toBe(212);
  });

  it('sends at least one message per second', () => {
    expect(fixedRate(0.5, [0.4])).toBe(1);
  });

  it('leaves out targets that did not run this round', () => {
    expect(fixedRate(0.25, [Number.NaN, 400])).toBe(100);
  });

  it('refuses to guess when there is no flat-out rate', () => {
    expect(() => fixedRate(0.5, [Number.NaN])).toThrow(/no flat-out rate/);
    expect(() => fixedRate(0.5, [0])).toThrow(/no flat-out rate/);
  });
});

describe('targetName', () => {
  it('names the dm scenario’s pool targets by their connection count', () => {
    expect(targetName('parley-postgres-pool1')).toBe('Parley (PostgreSQL, 1 connection)');
    expect(targetName('parley-postgres-pool16')).toBe('Parley (PostgreSQL, 16 connections)');
    expect(targetName('parley-cluster')).toBe('Parley cluster + Redis (PostgreSQL)');
  });
});
