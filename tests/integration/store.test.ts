// The store on real databases: SQLite in a directory of its own, and PostgreSQL (a database of
// its own per run). What it writes, what a chart and the timeline read back, gaps where the
// dashboard was not watching, pruning that keeps each series' last point, and its faults.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digest, journalBetween } from '@/lib/domain/journal';
import { seriesOf, queueSeriesKey } from '@/lib/domain/series';
import { HistoryStore } from '@/lib/store/store';
import { novaComputeCloud } from '@/lib/testing/builders';
import { stateOf } from '@/lib/testing/state';
import { startFaultProxy } from '../helpers/fault-proxy';

const POSTGRES = process.env.POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const T0 = Date.parse('2026-11-28T02:00:00Z');
const dir = mkdtempSync(path.join(tmpdir(), 'lens-store-'));
let pgDatabase: string | null = null;

const withUrl = (url: string, database: string) => {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
};

beforeAll(async () => {
  pgDatabase = `lens_store_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: POSTGRES });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${pgDatabase}`);
  await admin.end();
});

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  if (pgDatabase) {
    const admin = new pg.Client({ connectionString: POSTGRES });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${pgDatabase} WITH (FORCE)`);
    await admin.end();
  }
});

/** A night of refreshes every 5 s: compute0002 stops consuming at 02:13, the dashboard is down 02:20–02:30. */
async function night(store: HistoryStore, clock: { now: number }) {
  const healthy = novaComputeCloud(3);
  const idle = novaComputeCloud(3, [2]);
  let before = null as ReturnType<typeof digest> | null;
  for (let s = 0; s < 40 * 60; s += 5) {
    if (s >= 20 * 60 && s < 30 * 60) {
      before = null; // the dashboard is down: nothing is compared across the gap
      continue;
    }
    clock.now = T0 + s * 1000;
    const inputs = s >= 13 * 60 ? idle : healthy;
    if (s >= 13 * 60) inputs.queues.find((q) => q.name === 'compute.compute0002')!.messagesReady = Math.floor((s - 13 * 60) / 60);
    const state = stateOf(inputs, { at: clock.now });
    const now = digest(state);
    const written = await store.write('default', clock.now, seriesOf(state), before ? journalBetween(before, now) : []);
    expect(written.ok, JSON.stringify(store.status())).toBe(true);
    before = now;
  }
}

describe.each([
  ['SQLite', () => path.join(dir, 'data', 'lens.sqlite')],
  ['PostgreSQL', () => withUrl(POSTGRES, pgDatabase!)],
])('the store in %s', (_name, location) => {
  const clock = { now: T0 };
  let store: HistoryStore;

  beforeAll(async () => {
    store = new HistoryStore({ location: location(), now: () => clock.now });
    await store.open();
    await night(store, clock);
  }, 120_000);
  afterAll(() => store?.close());

  it('keeps the journal: the consumer lost at 02:13, by which process, on which host', async () => {
    const entries = await store.journal('default', { from: T0, to: T0 + 3600_000, host: 'compute0002' });
    expect(entries).toEqual([
      expect.objectContaining({ at: T0 + 13 * 60_000, kind: 'consumer-lost', queue: 'compute.compute0002', binary: 'nova-compute', process: 'nova-compute:1002@10.0.0.2' }),
    ]);
    expect(await store.journal('default', { from: T0, to: T0 + 3600_000, kinds: ['consumer-gained'] })).toEqual([]);
  });

  it("a queue's chart: its backlog growing since 02:13, and a gap (not zeros) while the dashboard was down", async () => {
    const answer = (await store.series('default', 'queue', queueSeriesKey('/', 'compute.compute0002'), T0, T0 + 40 * 60_000))!;
    expect(answer.stepMs).toBe(5000);
    const at = (min: number) => answer.points.find((p) => p.t === T0 + min * 60_000);
    expect(at(10)).toMatchObject({ ready: 7, consumers: 1 });
    expect(at(19)).toMatchObject({ ready: 6, consumers: 0 });
    expect(at(25)).toBeUndefined();
    const gap = answer.points.find((p) => p.t === T0 + 20 * 60_000);
    expect(gap).toMatchObject({ ready: null, consumers: null });
    expect(at(35)).toMatchObject({ ready: 22, consumers: 0 });
    // Sparse: the queue got a row when its point changed, not at every refresh.
    expect(answer.points.length).toBeGreaterThan(300);
  });

  it('a day at one minute, and the global series', async () => {
    const answer = (await store.series('default', 'global', '', T0, T0 + 6 * 3600_000))!;
    expect(answer.stepMs).toBe(60_000);
    expect(answer.points.filter((p) => p.ready !== null)).toHaveLength(30);
  });

  it("removes what is older than each resolution keeps, except each series' last point", async () => {
    clock.now = T0 + 3 * 3600_000;
    await store.prune(clock.now);
    const answer = (await store.series('default', 'queue', queueSeriesKey('/', 'compute.compute0002'), T0, clock.now))!;
    expect(answer.stepMs).toBe(60_000);
    const fine = await store.series('default', 'queue', queueSeriesKey('/', 'compute.compute0002'), clock.now - 15 * 60_000, clock.now);
    expect(fine?.points).toEqual([]);
  });
});

describe('faults of the store', () => {
  it('a directory that cannot be made: unavailable, with the reason; writes again once it can', async () => {
    // A file where the directory should be: a fault even for root.
    const blocked = path.join(dir, 'blocked');
    writeFileSync(blocked, '');
    let now = T0;
    const store = new HistoryStore({ location: path.join(blocked, 'data', 'lens.sqlite'), now: () => now });
    const state = stateOf(novaComputeCloud(1), { at: now });
    expect((await store.write('default', now, seriesOf(state), [])).ok).toBe(false);
    expect(store.status()).toMatchObject({ state: 'unavailable', reason: expect.stringMatching(/ENOTDIR|not a directory/) });
    rmSync(blocked);
    // Too soon to try again, then by itself.
    now += 1000;
    expect((await store.write('default', now, seriesOf(state), [])).ok).toBe(false);
    now += 15_000;
    expect((await store.write('default', now, seriesOf(state), [])).ok).toBe(true);
    expect(store.status().state).toBe('ok');
    await store.close();
  });

  it('a corrupt database file: unavailable, and the file left as it was', async () => {
    const file = path.join(dir, 'corrupt.sqlite');
    writeFileSync(file, 'this is not a database, but somebody may want it back'.repeat(100));
    const store = new HistoryStore({ location: file });
    const result = await store.write('default', T0, seriesOf(stateOf(novaComputeCloud(1))), []);
    expect(result.ok).toBe(false);
    expect(store.status()).toMatchObject({ state: 'unavailable', reason: expect.stringMatching(/not a database|corrupt/) });
    expect(readFileSync(file, 'utf8')).toMatch(/^this is not a database/);
    await store.close();
  });

  it('PostgreSQL that does not answer: unavailable with the reason, the journal kept for when it answers', async () => {
    let now = T0;
    const store = new HistoryStore({ location: 'postgres://postgres@127.0.0.1:1/none', now: () => now });
    const cloud = novaComputeCloud(2);
    const entries = journalBetween(digest(stateOf(cloud)), digest(stateOf(novaComputeCloud(2, [1]), { at: T0 })));
    expect((await store.write('default', now, seriesOf(stateOf(cloud)), entries)).ok).toBe(false);
    expect(store.status()).toMatchObject({ state: 'unavailable', reason: expect.stringMatching(/ECONNREFUSED|does not answer/) });
    now += 1000;
    // Too soon to try again: answered at once, unavailable still.
    expect((await store.write('default', now, seriesOf(stateOf(cloud)), [])).ok).toBe(false);
    await store.close();
  });
});

/** A small file system of its own (tmpfs): to fill, and to make read-only. Root only. */
function smallFileSystem(sizeKb: number): { dir: string; remount(options: string): void; unmount(): void } | null {
  const mountPoint = mkdtempSync(path.join(tmpdir(), 'lens-small-fs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k`, 'tmpfs', mountPoint], { stdio: 'pipe' });
  } catch {
    return null;
  }
  return {
    dir: mountPoint,
    remount: (options) => execFileSync('mount', ['-o', `remount,${options}`, mountPoint], { stdio: 'pipe' }),
    unmount: () => execFileSync('umount', ['-l', mountPoint], { stdio: 'pipe' }),
  };
}

/** Refreshes of a cloud that changes every time (a queue declared each), from `at` every 5 s, until one fails or `max`. */
async function refreshes(store: HistoryStore, clock: { now: number }, count: number, from = 0): Promise<{ failedAt: number | null }> {
  let before = digest(stateOf(novaComputeCloud(2), { at: clock.now }));
  for (let i = from; i < from + count; i++) {
    clock.now += 5000;
    const cloud = novaComputeCloud(2);
    for (let q = 0; q < i; q++) cloud.queues.push({ ...cloud.queues[0]!, name: `scheduler_fanout_${'x'.repeat(200)}_${q}` });
    const state = stateOf(cloud, { at: clock.now });
    const now = digest(state);
    if (!(await store.write('default', clock.now, seriesOf(state), journalBetween(before, now))).ok) return { failedAt: i };
    before = now;
  }
  return { failedAt: null };
}

describe('faults of the store, for real', () => {
  it('a full disk: unavailable with the reason, nothing stored lost, writing resumes when there is room', async (ctx) => {
    const fs = smallFileSystem(512);
    if (!fs) return ctx.skip();
    try {
      const clock = { now: T0 };
      const store = new HistoryStore({ location: path.join(fs.dir, 'lens.sqlite'), now: () => clock.now });
      const { failedAt } = await refreshes(store, clock, 2000);
      expect(failedAt).not.toBeNull();
      expect(store.status()).toMatchObject({ state: 'unavailable', reason: expect.stringMatching(/disk is full/) });
      const fullAt = clock.now;
      fs.remount('size=32m');
      clock.now += 15_000;
      expect((await refreshes(store, clock, 3, failedAt! + 1)).failedAt).toBeNull();
      expect(store.status().state).toBe('ok');
      // What was written before the disk filled is there, and what changed while it was full was written since.
      const declared = (await store.journal('default', { from: T0, to: clock.now, kinds: ['queue-declared'], limit: 100_000 }))!;
      expect(declared.length).toBeGreaterThanOrEqual(failedAt! + 3);
      expect(declared.some((e) => e.at === fullAt)).toBe(true);
      await store.close();
    } finally {
      fs.unmount();
    }
  });

  it('a database file that cannot be written: unavailable with the reason; writing resumes when it can', async (ctx) => {
    const fs = smallFileSystem(32 * 1024);
    if (!fs) return ctx.skip();
    try {
      const clock = { now: T0 };
      const store = new HistoryStore({ location: path.join(fs.dir, 'lens.sqlite'), now: () => clock.now });
      expect((await refreshes(store, clock, 3)).failedAt).toBeNull();
      await store.close();
      fs.remount('ro');
      const readOnly = new HistoryStore({ location: path.join(fs.dir, 'lens.sqlite'), now: () => clock.now });
      expect((await refreshes(readOnly, clock, 1, 3)).failedAt).toBe(3);
      expect(readOnly.status()).toMatchObject({ state: 'unavailable', reason: expect.stringMatching(/cannot be written|read-only|readonly/i) });
      fs.remount('rw');
      clock.now += 15_000;
      expect((await refreshes(readOnly, clock, 2, 4)).failedAt).toBeNull();
      const declared = (await readOnly.journal('default', { from: T0, to: clock.now, kinds: ['queue-declared'], limit: 1000 }))!;
      expect(declared.length).toBeGreaterThanOrEqual(6);
      await readOnly.close();
    } finally {
      fs.unmount();
    }
  });

  it('PostgreSQL that answers too slowly: unavailable with the reason, then writing resumes with what waited', async () => {
    const proxy = await startFaultProxy(POSTGRES.replace(/^postgres:/, 'http:'));
    const through = new URL(withUrl(POSTGRES, pgDatabase!));
    through.port = new URL(proxy.url).port;
    const clock = { now: T0 + 86_400_000 };
    const store = new HistoryStore({ location: through.toString(), now: () => clock.now });
    try {
      expect((await refreshes(store, clock, 1)).failedAt).toBeNull();
      await store.close(); // a new pool: its connections meet the slow proxy
      await proxy.set({ kind: 'delay', ms: 8000 });
      expect((await refreshes(store, clock, 1, 1)).failedAt).toBe(1);
      expect(store.status()).toMatchObject({ state: 'unavailable', reason: expect.stringMatching(/too slowly/) });
      await proxy.set({ kind: 'pass' });
      clock.now += 15_000;
      expect((await refreshes(store, clock, 1, 2)).failedAt).toBeNull();
      const declared = (await store.journal('default', { from: T0 + 86_400_000, to: clock.now, kinds: ['queue-declared'], limit: 1000 }))!;
      expect(declared.length).toBe(3);
    } finally {
      await store.close();
      await proxy.close();
    }
  }, 60_000);

  it('a migration that fails: unavailable with the reason, and what the database held left as it was', async () => {
    const database = `lens_migration_${process.pid}_${Date.now()}`;
    const admin = new pg.Client({ connectionString: POSTGRES });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    const other = new pg.Client({ connectionString: withUrl(POSTGRES, database) });
    await other.connect();
    try {
      // Somebody else's table where the store's journal would go.
      await other.query(`CREATE TABLE journal (note text); INSERT INTO journal VALUES ('keep me')`);
      const store = new HistoryStore({ location: withUrl(POSTGRES, database) });
      expect((await store.write('default', T0, seriesOf(stateOf(novaComputeCloud(1))), [])).ok).toBe(false);
      expect(store.status()).toMatchObject({ state: 'unavailable', reason: expect.stringMatching(/migration 0001_history_and_journal failed: .*journal/) });
      await store.close();
      expect((await other.query('SELECT note FROM journal')).rows).toEqual([{ note: 'keep me' }]);
    } finally {
      await other.end();
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.end();
    }
  });
});

describe('a queue replaced by another in one refresh', () => {
  it('ends the one gone (nothing carried forward past it) and starts the new one', async () => {
    const store = new HistoryStore({ location: path.join(dir, 'replaced.sqlite'), now: () => T0 + 60_000 });
    const point = { ready: 4, unacked: 0, consumers: 1, publish: 0, deliver: 0, ack: 0, redeliver: 0 };
    const refresh = (keys: string[]) => new Map([['queue' as const, new Map(keys.map((k) => [k, point]))]]);
    expect((await store.write('default', T0, refresh(['/a', '/b']), [])).ok).toBe(true);
    expect((await store.write('default', T0 + 5000, refresh(['/a', '/c']), [])).ok).toBe(true);
    const ready = async (key: string) => (await store.series('default', 'queue', key, T0, T0 + 9000))!.points.map((p) => p.ready);
    expect(await ready('/b')).toEqual([4, null]);
    expect(await ready('/c')).toEqual([null, 4]);
    expect(await ready('/a')).toEqual([4, 4]);
    await store.close();
  });
});

describe('several clusters in one store', () => {
  it('each has its own history, written in the same buckets', async () => {
    const store = new HistoryStore({ location: path.join(dir, 'two.sqlite'), now: () => T0 });
    const small = seriesOf(stateOf(novaComputeCloud(1), { at: T0 }));
    const big = seriesOf(stateOf(novaComputeCloud(3, [2]), { at: T0 }));
    expect((await store.write('cell1', T0, small, [])).ok).toBe(true);
    expect((await store.write('cell2', T0, big, [])).ok).toBe(true);
    const ready = async (cluster: string) => (await store.series(cluster, 'global', '', T0, T0 + 4000))!.points.map((p) => p.ready);
    expect(await ready('cell1')).toEqual([0]);
    expect(await ready('cell2')).toEqual([7]);
    await store.close();
  });
});

describe("PostgreSQL's bigints", () => {
  it('are numbers to the store, on its own connections; another client in the same process still gets strings', async () => {
    const store = new HistoryStore({ location: withUrl(POSTGRES, pgDatabase!), now: () => T0 });
    const other = new pg.Client({ connectionString: withUrl(POSTGRES, pgDatabase!) });
    try {
      const point = { ready: 4, unacked: 0, consumers: 1, publish: 0, deliver: 0, ack: 0, redeliver: 0 };
      const entries = journalBetween(digest(stateOf(novaComputeCloud(2))), digest(stateOf(novaComputeCloud(2, [1]), { at: T0 })));
      expect((await store.write('types', T0, new Map([['queue', new Map([['/a', point]])]]), entries)).ok).toBe(true);
      expect((await store.series('types', 'queue', '/a', T0, T0 + 4000))!.points).toEqual([{ t: T0, ...point }]);
      const journal = (await store.journal('types', { from: T0, to: T0 }))!;
      expect(journal.length).toBeGreaterThan(0);
      expect(journal.map((e) => e.at)).toEqual(journal.map(() => T0));
      // While the store's pool is open: pg's own parsing, a bigint as a string.
      await other.connect();
      const { rows } = await other.query('SELECT (SELECT max(t) FROM coverage WHERE cluster = $1) AS t, (SELECT max(at) FROM journal WHERE cluster = $1) AS at', ['types']);
      expect(rows).toEqual([{ t: String(T0), at: String(T0) }]);
    } finally {
      await other.end();
      await store.close();
    }
  });
});
