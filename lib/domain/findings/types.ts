// Findings: what the dashboard diagnoses by itself. Pure data.
import type { HistorySample, Topology } from '../types';
import type { RuleId, Severity } from '../vocabulary';

export type { RuleId, Severity } from '../vocabulary';

export type FindingSubject =
  | { type: 'queue'; vhost: string; name: string }
  | { type: 'process'; id: string }
  | { type: 'connection'; name: string; processId: string | null }
  | { type: 'node'; name: string };

/** What a rule reports; the engine adds identity and time. */
export interface FindingDraft {
  severity: Severity;
  subject: FindingSubject;
  /** One line. */
  title: string;
  /** For the operator: what it means, the likely cause, what to check or do next. */
  explanation: string;
  /** The numbers behind it. */
  evidence: Record<string, string | number | boolean | null>;
  /**
   * When the condition began, where the rule reads it from the queue's history (messages held
   * unacknowledged over several samples): it has lasted since then, and its grace period counts
   * from there rather than from the refresh that first judged it.
   */
  startedAt?: number;
  /** OpenStack terms, for grouping and the service list. */
  component?: string | null;
  host?: string | null;
}

export interface Finding extends FindingDraft {
  /** Stable across refreshes: rule + subject. */
  id: string;
  rule: RuleId;
  /** Epoch ms when the dashboard first saw it. */
  since: number;
}

export interface Thresholds {
  /** How far back growth and acks are judged, ms. */
  windowMs: number;
  /** Ready messages the backlog must grow by over the window. */
  backlogGrowth: number;
  /** Messages waiting in a notification queue before it is worth a finding. */
  notificationMessages: number;
  /** Fewest samples inside the window before a trend is judged. */
  minSamples: number;
  /**
   * How long a condition must last before it is a finding: two refreshes at the default
   * cadence, so a consumer that reconnects within a refresh raises nothing. Statistics lag
   * delays what is seen, and shows no false zero once a queue is older than `settleMs`.
   */
  graceMs: number;
  /**
   * How long a queue must have been known before anything is said about it. A new queue's first
   * statistics are taken when it is declared, before anyone consumes it, and its consumer count of 0
   * stays until the next ones: up to 1 s in the Prometheus plugin, up to the broker's
   * collect_statistics_interval (5 s by default) in the management API, while its consumer is there.
   */
  settleMs: number;
  /** Ready messages on a consumed queue from which it counts as a backlog (lib/domain/health.ts). */
  backlogMessages: number;
  /**
   * How long an oslo RPC or reply queue may hold a delivered message without any acknowledgement
   * before its consumer is stuck. Longer than the broker's statistics interval (5 s): one snapshot
   * that caught a message in flight, repeated by every reading until the next, is never taken for one held.
   */
  heldMs: number;
}

export const DEFAULT_THRESHOLDS: Readonly<Thresholds> = Object.freeze({
  windowMs: 60_000,
  backlogGrowth: 10,
  notificationMessages: 1,
  minSamples: 3,
  graceMs: 2000,
  settleMs: 5000,
  backlogMessages: 100,
  heldMs: 6000,
});

/** How far back the rules read a queue's samples: the window, or long enough to see a message held past `heldMs`. */
export function historyReachMs(t: Pick<Thresholds, 'windowMs' | 'heldMs'>): number {
  return Math.max(t.windowMs, 2 * t.heldMs);
}

export interface RuleContext {
  topology: Topology;
  /** Own samples of one queue, oldest first, from `historyReachMs` back. */
  queueHistory: (vhost: string, name: string) => HistorySample[];
  thresholds: Thresholds;
  now: number;
  /** What earlier refreshes saw, for what the current one cannot tell alone. */
  memory: Memory;
}

/** An OpenStack service (a binary in a vhost) the dashboard saw consuming there: on which hosts, and when last. */
export interface ServiceSeen {
  vhost: string;
  binary: string;
  hosts: readonly string[];
  lastSeen: number;
}

/** What an earlier run of the dashboard knew that the next one's rules need (read from the journal at start). */
export interface EarlierRun {
  /** The findings it left open: id → since. */
  openSince: ReadonlyMap<string, number>;
  servicesSeen: readonly ServiceSeen[];
}

export interface Memory {
  /** The processes that last consumed a queue, while it still had consumers. */
  lastConsumers: (vhost: string, name: string) => readonly string[];
  /** The host a process was last known on. */
  processHost: (processId: string) => string | null;
  /** Every service seen consuming since the dashboard started (within a day), whether it still does or not. */
  servicesSeen: () => readonly ServiceSeen[];
}

export interface Rule {
  /** What the rule looks for, in a sentence (shown on the findings page). */
  description: string;
  /** Reported at once, without the grace period: the broker's own alarms do not lag. */
  immediate?: boolean;
  /** A grace period of its own, longer than `Thresholds.graceMs`, for what a passing wave also shows. */
  graceMs?: number;
  evaluate: (ctx: RuleContext) => FindingDraft[];
}
