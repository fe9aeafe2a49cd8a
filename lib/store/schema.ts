// The store's tables, as the typed query builder sees them. Times are epoch milliseconds.
import type { Generated } from 'kysely';

/** Every series, named once: samples refer to it by number (a row of samples is then a few numbers). */
export interface SeriesTable {
  id: Generated<number>;
  cluster: string;
  /** global | component | topic | queue | process | host */
  scope: string;
  /** The subject within its scope (a component's name, a queue's queueSeriesKey, a process id, a host); '' for global. */
  key: string;
}

/**
 * One point of a series at one resolution (`step`, in ms), written only when it differs from the
 * point before it: a queue that stays empty costs one row, not one per refresh. Reading carries
 * the last point forward; a row of nulls says the subject was gone from then on.
 */
export interface SamplesTable {
  series: number;
  step: number;
  /** The start of the step's bucket. */
  t: number;
  ready: number | null;
  unacked: number | null;
  consumers: number | null;
  publish: number | null;
  deliver: number | null;
  ack: number | null;
  redeliver: number | null;
}

/** When the dashboard was watching, per resolution: every bucket it wrote. A bucket without a row is a gap. */
export interface CoverageTable {
  cluster: string;
  step: number;
  t: number;
}

export interface JournalTable {
  id: Generated<number>;
  cluster: string;
  at: number;
  kind: string;
  /** The JournalSubject, as JSON. */
  subject: string;
  host: string | null;
  binary: string | null;
  process: string | null;
  vhost: string | null;
  queue: string | null;
  before: string | null;
  after: string | null;
}

export interface StoreDatabase {
  series: SeriesTable;
  samples: SamplesTable;
  coverage: CoverageTable;
  journal: JournalTable;
}
