import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics } from '../metrics.js';
import { DIALECTS } from '../test/dialects.js';
import { rawSocket, sleep } from '../test/realtime-client.js';
import { signUp, startTestServer, type TestServer } from '../test/test-server.js';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}
interface Family {
  help: string;
  type: string;
  samples: Sample[];
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
const SUFFIXES = ['_bucket', '_sum', '_count'];

/** The Prometheus text format, by metric family; a sample joins the family it extends. */
function parseExposition(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const family = (name: string) => {
    const found = families.get(name) ?? { help: '', type: '', samples: [] };
    families.set(name, found);
    return found;
  };
  for (const line of text.split('\n')) {
    const comment = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line);
    if (comment) {
      const [, kind = '', name = '', rest = ''] = comment;
      family(name)[kind === 'HELP' ? 'help' : 'type'] = rest;
      continue;
    }
    const sample = SAMPLE.exec(line);
    if (!sample) continue;
    const [, name = '', labelText = '', value = ''] = sample;
    const labels = Object.fromEntries([...labelText.matchAll(LABEL)].map(([, key = '', text = '']) => [key, text]));
    const suffix = SUFFIXES.find((s) => name.endsWith(s) && families.has(name.slice(0, -s.length)));
    family(suffix ? name.slice(0, -suffix.length) : name).samples.push({ name, labels, value: Number(value) });
  }
  return families;
}

const PARLEY_METRICS: Record<string, string> = {
  parley_sockets: 'gauge',
  parley_events_published_total: 'counter',
  parley_events_delivered_total: 'counter',
  parley_skips_delivered_total: 'counter',
  parley_gap_fills_total: 'counter',
  parley_delivery_lag_seconds: 'histogram',
  parley_bus_lag_seconds: 'histogram',
  parley_send_latency_seconds: 'histogram',
  parley_slow_consumer_cutoffs_total: 'counter',
  parley_heartbeat_timeouts_total: 'counter',
  parley_db_pool_connections: 'gauge',
  parley_replayed_events_total: 'counter',
  parley_resume_reloads_total: 'counter',
};

for (const dialect of DIALECTS) {
  describe(`GET /metrics on ${dialect}`, () => {
    const instanceId = `metrics-test-${dialect}`;
    let ts: TestServer;
    beforeAll(async () => {
      ts = await startTestServer(dialect, { INSTANCE_ID: instanceId });
    });
    afterAll(() => ts.close());

    async function scrape() {
      const response = await fetch(`${ts.url}/metrics`);
      expect(response.status).toBe(200);
      return { contentType: response.headers.get('content-type'), families: parseExposition(await response.text()) };
    }
    const sockets = async () => (await scrape()).families.get('parley_sockets')?.samples[0]?.value;

    it('answers without authentication in the Prometheus text format, with every parley_ metric and its help', async () => {
      const { contentType, families } = await scrape();
      expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
      for (const [name, type] of Object.entries(PARLEY_METRICS)) {
        expect(families.get(name)?.type, name).toBe(type);
        expect(families.get(name)?.help.length, name).toBeGreaterThan(10);
      }
      expect(families.get('process_cpu_user_seconds_total')?.type).toBe('counter');
      expect(families.get('nodejs_eventloop_lag_seconds')?.type).toBe('gauge');
    });

    it('labels every series, Parley’s and Node’s, with the instance id', async () => {
      const { families } = await scrape();
      const samples = [...families.values()].flatMap((f) => f.samples);
      expect(samples.length).toBeGreaterThan(50);
      for (const sample of samples) expect(sample.labels.instance, sample.name).toBe(instanceId);
      const published = families.get('parley_events_published_total')?.samples.map((s) => s.labels.kind);
      expect(published?.sort()).toEqual(['control', 'ephemeral', 'stored']);
    });

    it('counts a socket in parley_sockets once it has said hello, and not after it closes', async () => {
      const { token } = await signUp(ts, 'gauge');
      expect(await sockets()).toBe(0);
      const raw = await rawSocket(ts.url);
      raw.send(JSON.stringify({ id: 'h', cmd: 'hello', params: { token } }));
      expect(await raw.reply('h')).toMatchObject({ type: 'result' });
      expect(await sockets()).toBe(1);
      raw.ws.close();
      await raw.whenClosed;
      for (let i = 0; i < 50 && (await sockets()) !== 0; i += 1) await sleep(20);
      expect(await sockets()).toBe(0);
    });

    it(dialect === 'postgres' ? 'reports the connection pool by state' : 'reports no pool on SQLite', async () => {
      await signUp(ts, 'pool');
      const samples = (await scrape()).families.get('parley_db_pool_connections')?.samples ?? [];
      if (dialect === 'sqlite') {
        expect(samples).toEqual([]);
        return;
      }
      const byState = Object.fromEntries(samples.map((s) => [s.labels.state, s.value]));
      expect(Object.keys(byState).sort()).toEqual(['idle', 'total', 'waiting']);
      expect(byState.total).toBeGreaterThanOrEqual(1);
    });

    it('is left out of the OpenAPI document', async () => {
      const openapi = (await (await fetch(`${ts.url}/api/openapi.json`)).json()) as { paths: Record<string, unknown> };
      expect(Object.keys(openapi.paths)).not.toContain('/metrics');
      expect(Object.keys(openapi.paths).length).toBeGreaterThan(5);
    });
  });
}

describe('createMetrics', () => {
  it('keeps the counts of two servers in one process apart', async () => {
    const one = createMetrics({ instanceId: 'one', connectionCount: () => 3 });
    const two = createMetrics({ instanceId: 'two', connectionCount: () => 0 });
    one.eventsPublished.inc({ kind: 'stored' }, 2);
    const published = async (metrics: typeof one) =>
      parseExposition(await metrics.registry.metrics())
        .get('parley_events_published_total')
        ?.samples.find((s) => s.labels.kind === 'stored');
    expect(await published(one)).toMatchObject({ value: 2, labels: { instance: 'one' } });
    expect(await published(two)).toMatchObject({ value: 0, labels: { instance: 'two' } });
  });
});
