// Pure shaping for the upgrade readiness page: the verdict in one sentence, and the words for
// options, checks and stops. What is found and counted is the server's (lib/domain/upgrade.ts).
import type { OptionSetting, UpgradeResponse } from '@/lib/api/schemas';
import type { MigrationOption, UpgradeCheckId, UpgradeCheckStatus, UpgradeStop } from '@/lib/domain/vocabulary';

export type Tone = 'red' | 'amber' | 'green' | 'neutral';

export interface Verdict {
  headline: string;
  /** What follows the headline: later versions, what is past due, what the broker cannot tell. */
  details: string[];
  tone: Tone;
}

const things = (n: number) => (n === 1 ? '1 thing' : `${n} things`);

type CheckStatuses = Pick<UpgradeResponse, 'mirroring' | 'transientQueues' | 'deprecatedFeatures' | 'globalQos' | 'queueMasterLocator'>;

export const CHECK_TITLE: Record<UpgradeCheckId, string> = {
  'classic-mirroring': 'Classic queue mirroring',
  'transient-queues': 'Transient non-exclusive queues',
  'deprecated-features': 'Deprecated features in use',
  'global-qos': 'Global QoS',
  'queue-master-locator': 'Queue master locator',
};

/** The checks of an answer, in the order the page tells them. */
export function checksOf(r: CheckStatuses) {
  return [r.mirroring, r.transientQueues, r.deprecatedFeatures, r.globalQos, r.queueMasterLocator] as const;
}

/** "RabbitMQ 3.10.8: before upgrading to 4.0, 2 things to change", and what follows it. */
export function verdict(r: Pick<UpgradeResponse, 'rabbitmqVersion' | 'nextStop' | 'changes'> & CheckStatuses): Verdict {
  const { before, now, later } = r.changes;
  const details: string[] = [];
  let headline: string;
  let due = 0;
  if (r.rabbitmqVersion === null) {
    headline = 'RabbitMQ version not known';
    for (const b of before) details.push(`${b.count === 0 ? 'nothing' : things(b.count)} to change before ${b.stop}`);
    due = before.reduce((n, b) => n + b.count, 0);
  } else if (r.nextStop === null) {
    headline = `RabbitMQ ${r.rabbitmqVersion}: no removal known ahead of this version`;
  } else {
    const [next, ...afterwards] = before;
    due = next?.count ?? 0;
    headline = `RabbitMQ ${r.rabbitmqVersion}: before upgrading to ${r.nextStop}, ${due === 0 ? 'nothing to change' : `${things(due)} to change`}`;
    for (const b of afterwards) if (b.count > 0) details.push(`then ${b.count} more before ${b.stop}`);
  }
  if (now > 0) details.push(`${things(now)} this version already refuses or ignores: change ${now === 1 ? 'it' : 'them'} now`);
  if (later > 0) details.push(`${later} more worth changing, which no version named here refuses`);
  const unknown = checksOf(r).filter((c) => c.status === 'not-known');
  if (unknown.length > 0) details.push(`not known from this broker: ${unknown.map((c) => CHECK_TITLE[c.id]).join(', ')}`);
  const tone: Tone = now > 0 ? 'red' : due > 0 ? 'amber' : unknown.length > 0 ? 'neutral' : 'green';
  return { headline, details, tone };
}

/** `rabbit_quorum_queue = true`, as it is written in the `[oslo_messaging_rabbit]` section. */
export function optionText(o: OptionSetting): string {
  return `${o.name} = ${o.value}`;
}

/** What the version does to what a check looks for. */
export function stopText(id: UpgradeCheckId, stop: UpgradeStop | null): string {
  if (stop === null) return 'removed in a coming version';
  return id === 'classic-mirroring' ? `removed in RabbitMQ ${stop}` : `denied by default in RabbitMQ ${stop}`;
}

/** A check in a few words beside its title: how many changes, or its status. */
export function checkCountText(c: { status: UpgradeCheckStatus; changes: number }): string {
  if (c.status !== 'to-change') return CHECK_STATUS_LABEL[c.status];
  return c.changes > 0 ? `${c.changes} to change` : 'changed in the checks it names';
}

export const CHECK_STATUS_LABEL: Record<UpgradeCheckStatus, string> = { 'to-change': 'to change', 'not-known': 'not known', clear: 'clear' };

/** The migration table's columns: what each option changes, in a few words. */
export const OPTION_COLUMN: Record<MigrationOption, { label: string; title: string }> = {
  rabbit_quorum_queue: { label: 'quorum queues', title: 'rabbit_quorum_queue: its topic, server and notification queues are quorum queues' },
  rabbit_transient_quorum_queue: { label: 'transient quorum', title: 'rabbit_transient_quorum_queue (oslo.messaging 14.7+): its reply and fanout queues are quorum queues' },
  rabbit_stream_fanout: { label: 'stream fanout', title: 'rabbit_stream_fanout (14.7+): one shared stream <topic>_fanout per topic instead of a fanout queue per process' },
  use_queue_manager: { label: 'queue manager', title: 'use_queue_manager (14.7+): reply and fanout queues named <host>:<binary>:<n>, reused across restarts' },
};

/** What a hop takes away, in a few words. */
export const STOP_TAKES: Record<UpgradeStop, string> = {
  '4.0': 'removes classic queue mirroring',
  '4.3': 'denies transient non-exclusive queues, global QoS and queue-master-locator',
};

/** A hop of the path in one line: "4.3: denies … — 12 to change first". */
export function hopText(h: UpgradeResponse['path']['hops'][number]): string {
  if (h.removes === null) return `${h.to}: nothing this cloud uses is taken away`;
  return `${h.to}: ${STOP_TAKES[h.removes]}${h.changes > 0 ? `: ${h.changes} to change first` : ': nothing left to change'}`;
}
