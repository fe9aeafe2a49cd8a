import { describe, expect, it } from 'vitest';
import { BrokerError } from '@/lib/broker/errors';
import { NoSnapshotError, SnapshotStore } from './snapshot';

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A clock and timers the test drives: nothing happens until it advances time. */
function virtualTime() {
  let now = 0;
  const timers: { at: number; fn: () => void }[] = [];
  return {
    now: () => now,
    schedule: (fn: () => void, ms: number) => void timers.push({ at: now + ms, fn }),
    /** Moves to `t`, firing every timer due on the way, and lets promise callbacks run. */
    async advanceTo(t: number) {
      for (;;) {
        timers.sort((a, b) => a.at - b.at);
        const next = timers[0];
        if (!next || next.at > t) break;
        timers.shift();
        now = next.at;
        next.fn();
        await new Promise((r) => setTimeout(r, 0));
      }
      now = t;
      await new Promise((r) => setTimeout(r, 0));
    },
    pending: () => timers.length,
  };
}

describe('SnapshotStore', () => {
  it('makes one broker read for many concurrent callers (single-flight)', async () => {
    let loads = 0;
    const gate = deferred<void>();
    const store = new SnapshotStore({
      intervalMs: 5000,
      load: async () => {
        loads++;
        await gate.promise;
        return loads;
      },
    });
    const callers = Array.from({ length: 20 }, () => store.get());
    gate.resolve();
    const results = await Promise.all(callers);
    expect(loads).toBe(1);
    expect(new Set(results.map((r) => r.value))).toEqual(new Set([1]));
  });

  it('serves the current snapshot while the next one is built, and refreshes once per interval', async () => {
    let now = 0;
    let loads = 0;
    const gate = deferred<void>();
    const store = new SnapshotStore({
      intervalMs: 1000,
      now: () => now,
      schedule: () => undefined, // demand alone drives these
      load: async () => {
        loads++;
        if (loads > 1) await gate.promise;
        return loads;
      },
    });
    expect((await store.get()).value).toBe(1);
    now = 500;
    expect((await store.get()).value).toBe(1);
    expect(loads).toBe(1);
    now = 1500;
    expect((await store.get()).value).toBe(1); // stale-while-revalidate: answer now, refresh behind
    expect(store.status().refreshing).toBe(true);
    await store.get();
    expect(loads).toBe(2);
    gate.resolve();
    await store.refresh();
    expect((await store.get()).value).toBe(2);
  });

  it('keeps the last good snapshot when a refresh fails, and says why', async () => {
    let now = 0;
    let fail = false;
    const store = new SnapshotStore({
      intervalMs: 1000,
      now: () => now,
      schedule: () => undefined, // demand alone drives these
      load: async () => {
        if (fail) throw new BrokerError('unreachable', 'GET /api/queues', 'cannot reach the management API (ECONNREFUSED)');
        return 'good';
      },
    });
    await store.get();
    fail = true;
    now = 2000;
    await store.refresh();
    const s = await store.get();
    expect(s.value).toBe('good');
    expect(s.fetchedAt).toBe(0);
    expect(store.status()).toMatchObject({ stale: true, error: { request: 'GET /api/queues', since: 2000 } });
    fail = false;
    now = 10_000;
    await store.refresh();
    expect(store.status()).toMatchObject({ stale: false, error: null, fetchedAt: 10_000 });
  });

  it('backs off after failures instead of hammering a broker that is down', async () => {
    let now = 0;
    let loads = 0;
    const store = new SnapshotStore<string>({
      intervalMs: 1000,
      now: () => now,
      schedule: () => undefined, // demand alone drives these
      load: async () => {
        loads++;
        if (loads === 1) return 'first';
        throw new Error('down');
      },
    });
    await store.get();
    for (const t of [1000, 2000, 3000]) {
      now = t;
      await store.get();
      await new Promise((r) => setTimeout(r, 0)); // let the background refresh finish
    }
    // 1000: due → fail (1). 2000: backoff 1000 since 1000 → fail (2). 3000: backoff 2000 since 2000 → not due.
    expect(loads).toBe(3);
  });

  it('waits three times as long as the last refresh took before the next, on a slow broker', async () => {
    let now = 0;
    let loads = 0;
    const store = new SnapshotStore<number>({
      intervalMs: 5000,
      now: () => now,
      schedule: () => undefined, // demand alone drives these
      load: async () => {
        loads++;
        now += 10_000; // the broker took 10 s to answer
        return loads;
      },
    });
    await store.get(); // 0 → 10 000
    expect(store.status().refreshIntervalMs).toBe(30_000);
    now = 25_000;
    await store.get();
    expect(loads).toBe(1);
    now = 30_001;
    await store.get();
    await new Promise((r) => setTimeout(r, 0));
    expect(loads).toBe(2);
  });

  it("stretches against the broker's share of a refresh, not the dashboard's own work on it", async () => {
    let now = 0;
    const store = new SnapshotStore<number>({
      intervalMs: 2000,
      now: () => now,
      schedule: () => undefined,
      load: async () => {
        now += 4000; // 3 s waiting for the broker, 1 s building the state
        return 1;
      },
      brokerMs: () => 3000,
    });
    await store.get();
    expect(store.status().refreshIntervalMs).toBe(9000);
  });

  it('stretches by the factor given for what was read (the plugin: twice the wait)', async () => {
    let now = 0;
    let factor = 2;
    const store = new SnapshotStore<number>({
      intervalMs: 2000,
      now: () => now,
      schedule: () => undefined,
      load: async () => {
        now += 3000;
        return 1;
      },
      slowBrokerFactor: () => factor,
    });
    await store.get();
    expect(store.status().refreshIntervalMs).toBe(6000);
    factor = 3;
    expect(store.status().refreshIntervalMs).toBe(9000);
  });

  it('comes early when a refresh is wanted sooner (a finding awaiting its grace), but never twice in a row', async () => {
    const time = virtualTime();
    const starts: number[] = [];
    let wanted: number | null = null;
    const store = new SnapshotStore<number>({
      intervalMs: 2000,
      now: time.now,
      schedule: time.schedule,
      alwaysWatched: true,
      load: () => {
        starts.push(time.now());
        // The broker takes 3 s (the interval stretches to 9 s); the first reading sees a condition whose grace ends at 4 s.
        return new Promise((resolve) =>
          time.schedule(() => {
            wanted ??= 4000;
            resolve(starts.length);
          }, 3000),
        );
      },
      wantedBy: () => wanted,
    });
    void store.get();
    await time.advanceTo(30_000);
    // Early at 4 s, then the whole interval (13 s); wanted still, early again as soon as the configured 2 s allow (at
    // once: the refresh took 3 s), then the whole interval again: never two early ones in a row.
    expect(starts).toEqual([0, 4000, 13_000, 16_000, 25_000, 28_000]);
  });

  it('refreshes on its own timer while anyone looks: one viewer or twenty, the broker sees the same reads', async () => {
    const readsWith = async (viewers: number): Promise<number> => {
      const time = virtualTime();
      let loads = 0;
      const store = new SnapshotStore<number>({
        intervalMs: 12_000,
        now: time.now,
        schedule: time.schedule,
        // The broker takes 2 s to answer.
        load: () => new Promise((resolve) => time.schedule(() => resolve(++loads), 2_000)),
      });
      // Each viewer polls every 5 s, at its own phase.
      const polls: number[] = [];
      for (let v = 0; v < viewers; v++) for (let t = (v * 250) % 5_000; t <= 120_000; t += 5_000) polls.push(t);
      polls.sort((a, b) => a - b);
      for (const t of polls) {
        await time.advanceTo(t);
        void store.get();
      }
      await time.advanceTo(120_000);
      return loads;
    };
    const one = await readsWith(1);
    expect(one).toBe(10); // started at 0, 12 s, …, 108 s and done 2 s later; the one at 120 s is still running
    expect(await readsWith(20)).toBe(one);
  });

  it('stops refreshing when no one has asked for a while', async () => {
    const time = virtualTime();
    let loads = 0;
    const store = new SnapshotStore<number>({
      intervalMs: 10_000,
      keepWarmMs: 30_000,
      now: time.now,
      schedule: time.schedule,
      load: async () => (++loads),
    });
    await store.get();
    await time.advanceTo(600_000);
    expect(loads).toBe(3); // at 0, 10 s and 20 s; at 30 s no one has asked for 30 s
    expect(time.pending()).toBe(0);
  });

  it('after a quiet period, the first look gets the old snapshot said as old, with a refresh under way', async () => {
    const time = virtualTime();
    const next = deferred<number>();
    let loads = 0;
    const store = new SnapshotStore<number>({
      intervalMs: 10_000,
      keepWarmMs: 30_000,
      now: time.now,
      schedule: time.schedule,
      load: () => (++loads === 1 ? Promise.resolve(1) : next.promise),
    });
    await store.get();
    await time.advanceTo(600_000);
    const first = await store.get();
    expect(first).toEqual({ value: 1, fetchedAt: 0 });
    expect(store.status()).toMatchObject({ fetchedAt: 0, refreshing: true, stale: false });
    next.resolve(2);
    await time.advanceTo(600_001);
    expect(store.status()).toMatchObject({ refreshing: false });
    expect(store.status().fetchedAt).toBeGreaterThanOrEqual(600_000);
    expect((await store.get()).value).toBe(2);
  });

  it('rejects with the reason when there has never been a snapshot', async () => {
    const store = new SnapshotStore({
      intervalMs: 1000,
      load: async () => {
        throw new BrokerError('unauthorized', 'GET /api/overview', 'the broker refused the credentials (401)');
      },
    });
    await expect(store.get()).rejects.toBeInstanceOf(NoSnapshotError);
    await expect(store.get()).rejects.toThrow(/401/);
  });

  it('loads a value that never changes once, and never again (an offline capture)', async () => {
    const time = virtualTime();
    let loads = 0;
    const store = new SnapshotStore<number>({ intervalMs: 1000, once: true, now: time.now, schedule: time.schedule, load: async () => ++loads });
    await store.get();
    for (const t of [5_000, 60_000, 600_000]) {
      await time.advanceTo(t);
      expect((await store.get()).value).toBe(1);
    }
    expect(loads).toBe(1);
    expect(time.pending()).toBe(0);
  });
});
