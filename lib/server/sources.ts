import 'server-only';
// Where a cluster's state comes from: a live broker, or an offline capture file.
import { readFile } from 'node:fs/promises';
import { LRUCache } from 'lru-cache';
import type { ManagementClient } from '@/lib/broker/management-client';
import { mapOverviewHistory, mapQueueHistory } from '@/lib/broker/mappers';
import { BrokerReader, type CountsSource } from '@/lib/broker/broker-reader';
import type { TrackerState } from '@/lib/domain/findings/engine';
import { refKey } from '@/lib/domain/keys';
import type { BrokerInputs, HistorySample } from '@/lib/domain/types';
import { CapturedMemory, type Remembered } from '@/lib/store/remembered';
import { type Capture, CaptureError, decodeCapture } from './capture';
import { readFailure } from './config';

interface ReadingBase {
  inputs: BrokerInputs;
  /** Parts that could not be read; the rest is good. */
  warnings: string[];
  /** When the broker was read. */
  at: number;
  /** When exchanges, bindings and queue metadata were read. */
  topologyAt: number | null;
}

export interface LiveReading extends ReadingBase {
  kind: 'live';
  /** When who consumes was last read whole (changes are followed in between). */
  identityAt: number | null;
  /** Where the queue counts came from, and why. */
  counts: CountsSource;
  /** The broker's own recent totals, on the first reading only (charts are not empty on the first view). */
  brokerHistory: HistorySample[] | null;
  /** How long this reading waited for the broker, in ms (what the refresh interval stretches against). */
  readMs: number;
  /** How often the topology is read whole now (TOPOLOGY_REFRESH_MS or, on a slow broker, longer). */
  topologyIntervalMs: number;
}

export interface CapturedReading extends ReadingBase {
  kind: 'captured';
  tracker: TrackerState;
  history: HistorySample[];
}

export interface BrokerSourceOptions {
  client: ManagementClient;
  /** How often exchanges, bindings, queue metadata and who consumes are read whole. */
  topologyIntervalMs: number;
  refreshIntervalMs: number;
  requestTimeoutMs: number;
  /** Every node's Prometheus plugin: the queue counts on every refresh; null: the management API alone. */
  prometheus: { urls: readonly string[] } | null;
  /** The store this cluster's history is kept in (null: HISTORY_STORE=off). */
  remembered?: Remembered | null;
  now?: () => number;
}

/**
 * Where a cluster's state comes from. The rest of the server asks it for readings and for what
 * it can say besides, and never which kind it is.
 */
export interface Source {
  /** A live broker is read again and again; a capture once (its file does not change). */
  readonly live: boolean;
  load(): Promise<LiveReading | CapturedReading>;
  /** Where a capture was taken from and when; null for a live broker (or a capture not read yet). */
  origin(): { managementUrl: string; capturedAt: number } | null;
  /** What is remembered of the cluster (the store, or what a capture carries); null: none, and why. */
  remembered(): { memory: Remembered | null; offReason: string };
  /** One queue's recent samples as the broker keeps them (cached for a refresh interval); none for a capture. */
  queueHistory(vhost: string, name: string): Promise<HistorySample[]>;
  /** The management API, for what is asked of the broker on request (a backlog's messages); null for a capture. */
  readonly client: ManagementClient | null;
}

/** A live broker's source: each reading is a live one. */
export interface BrokerSource extends Source {
  load(): Promise<LiveReading>;
}

/** Why there is no history, where the configuration turned the store off. */
export const STORE_OFF = 'history is not kept: set HISTORY_STORE to a file or a PostgreSQL URL (see the README)';
const CAPTURE_KEPT_NONE = 'this capture carries no history: it was taken where the dashboard kept none';

export function brokerSource(options: BrokerSourceOptions): BrokerSource {
  const { client } = options;
  const now = options.now ?? Date.now;
  const reader = new BrokerReader(options);
  let seeded = false;

  /** The broker's own recent totals, once; a broker that will not give them is said so, and the charts start empty. */
  async function brokerHistory(warnings: string[]): Promise<HistorySample[] | null> {
    if (seeded) return null;
    seeded = true;
    try {
      return mapOverviewHistory(await client.overviewHistory());
    } catch (err) {
      warnings.push(`the broker's own history of the totals could not be read (${err instanceof Error ? err.message : String(err)}): the charts start now`);
      return null;
    }
  }

  const queueHistoryCache = new LRUCache<string, Promise<HistorySample[]>>({ max: 200, ttl: options.refreshIntervalMs });

  return {
    live: true,
    client,
    origin: () => null,
    remembered: () => ({ memory: options.remembered ?? null, offReason: STORE_OFF }),
    async load(): Promise<LiveReading> {
      const started = now();
      const read = await reader.read();
      const warnings = [...read.warnings];
      const history = await brokerHistory(warnings);
      const at = now();
      return { kind: 'live', inputs: read.inputs, warnings, at, topologyAt: read.topologyAt, identityAt: read.identityAt, counts: read.counts, brokerHistory: history, readMs: at - started - (read.wholeReadWaitMs ?? 0), topologyIntervalMs: read.topologyIntervalMs };
    },
    queueHistory(vhost, name) {
      const key = refKey(vhost, name);
      let samples = queueHistoryCache.get(key);
      if (!samples) {
        samples = client.queueHistory(vhost, name).then(mapQueueHistory);
        // A failure is not kept: the next request asks again.
        samples.catch(() => queueHistoryCache.delete(key));
        queueHistoryCache.set(key, samples);
      }
      return samples;
    },
  };
}

export function captureSource(path: string): Source {
  let opened: Capture | null = null;
  let memory: CapturedMemory | null = null;
  return {
    live: false,
    client: null,
    queueHistory: async () => [],
    async load(): Promise<CapturedReading> {
      let file: Buffer;
      try {
        file = await readFile(path);
      } catch (err) {
        throw new CaptureError(`capture ${path}: ${readFailure(err)}`);
      }
      let capture: Capture;
      try {
        capture = decodeCapture(file);
      } catch (err) {
        throw err instanceof CaptureError ? new CaptureError(`capture ${path}: ${err.message}`) : err;
      }
      opened = capture;
      memory = capture.time ? new CapturedMemory(capture.time, `the capture ${path}`) : null;
      return {
        kind: 'captured',
        inputs: capture.inputs,
        warnings: capture.warnings,
        at: capture.capturedAt,
        topologyAt: capture.capturedAt,
        tracker: capture.findings,
        history: capture.history,
      };
    },
    origin: () => (opened ? { managementUrl: opened.cluster.managementUrl, capturedAt: opened.capturedAt } : null),
    remembered: () => ({ memory, offReason: CAPTURE_KEPT_NONE }),
  };
}
