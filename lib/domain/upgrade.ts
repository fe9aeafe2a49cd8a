// Upgrade readiness: what the coming RabbitMQ versions take away that this cloud still uses,
// told per OpenStack service with the oslo.messaging option that moves it off, and how far each
// service has moved already, read from what its queues look like.
//
// A queue belongs to the services (binaries) of the processes consuming it; unconsumed, to the
// binary its queue-manager name carries, or to those serving its topic elsewhere in the vhost.
import { componentOfBinary } from './classify';
import { compareNatural, plural } from './format';
import { refKey } from './keys';
import type { DeprecatedFeatureInput, PolicyInput, Queue, Topology, BrokerInputs } from './types';
import {
  type Adoption,
  MIGRATION_OPTIONS,
  type MigrationOption,
  type OsloRabbitOption,
  type PolicyTarget,
  type QueueKind,
  RABBITMQ_SERIES,
  type RabbitmqSeries,
  UPGRADE_STOPS,
  type UpgradeCheckId,
  type UpgradeCheckStatus,
  type UpgradeStop,
} from './vocabulary';

// ---------------------------------------------------------------- the answer

export interface UpgradeCheckBase {
  id: UpgradeCheckId;
  status: UpgradeCheckStatus;
  /** The version that refuses what this check looks for; null where RabbitMQ names none. */
  stop: UpgradeStop | null;
  /** Things to change: a policy, one service's configuration, a client process. */
  changes: number;
  /** What was found, in a sentence. */
  summary: string;
  /** What to do; null when nothing is to be done. */
  remedy: string | null;
}

/** An `[oslo_messaging_rabbit]` option and the value that fixes what was found. */
export interface OptionSetting {
  name: OsloRabbitOption;
  value: boolean;
}

/** Queues of one service (a binary in a vhost), or of no known service (`binary` null). */
export interface ServiceQueues {
  vhost: string;
  binary: string | null;
  component: string | null;
  count: number;
  byKind: Partial<Record<QueueKind, number>>;
  /** What to set in that service's configuration; empty for queues oslo.messaging did not declare. */
  options: OptionSetting[];
  /** A few of their names. */
  examples: string[];
}

export interface MirroringPolicy {
  vhost: string;
  name: string;
  pattern: string;
  applyTo: string;
  priority: number;
  /** Its ha-* keys and their values: what to remove. */
  haKeys: Record<string, unknown>;
  /** The keys left once those are gone (none: the policy can be deleted). */
  otherKeys: string[];
  /** Classic queues it matches now; null when its pattern is not a regular expression JavaScript reads. */
  matchedQueues: number | null;
  examples: string[];
}

export interface MirroringCheck extends UpgradeCheckBase {
  id: 'classic-mirroring';
  /** Null: the broker's policies were not read (the user may not list them). */
  policies: MirroringPolicy[] | null;
  /** Queues declared with `x-ha-policy` (oslo's `rabbit_ha_queues = true`), per service. */
  haArgumentQueues: ServiceQueues[];
  /** This broker has no classic mirroring any more (4.0+). */
  removedHere: boolean;
}

export interface TransientQueuesCheck extends UpgradeCheckBase {
  id: 'transient-queues';
  /** Queues declared neither durable nor exclusive. */
  total: number;
  services: ServiceQueues[];
}

export interface DeprecatedFeature {
  name: string;
  phase: string | null;
  docUrl: string | null;
  /** The check above that tells who uses it and what to change. */
  explainedBy: UpgradeCheckId | null;
}

export interface DeprecatedFeaturesCheck extends UpgradeCheckBase {
  id: 'deprecated-features';
  /** Null: the broker does not report them (before 3.13), or they were not read. */
  features: DeprecatedFeature[] | null;
}

/** A client process whose channels share one prefetch (global QoS). */
export interface GlobalQosUser {
  /** Null where the channel's connection was not listed. */
  processId: string | null;
  binary: string | null;
  host: string | null;
  connections: string[];
  channels: number;
  /** The largest of its channels' global prefetch counts. */
  globalPrefetchCount: number;
}

export interface GlobalQosCheck extends UpgradeCheckBase {
  id: 'global-qos';
  /** Null: the broker does not report a channel's global prefetch (RabbitMQ 4). */
  users: GlobalQosUser[] | null;
}

/** A policy that places classic queue masters with `queue-master-locator`. */
export interface LocatorPolicy {
  vhost: string;
  name: string;
  pattern: string;
  applyTo: string;
  /** Its queue-master-locator: min-masters, client-local or random. */
  value: string;
  /** What queue-leader-locator takes instead: balanced or client-local; null for a value RabbitMQ never took. */
  leaderLocator: string | null;
  /** Classic queues it matches now; null when its pattern is not a regular expression JavaScript reads. */
  matchedQueues: number | null;
  examples: string[];
}

export interface QueueMasterLocatorCheck extends UpgradeCheckBase {
  id: 'queue-master-locator';
  /** Null: the broker's policies were not read (the user may not list them). */
  policies: LocatorPolicy[] | null;
  /** Queues declared with `x-queue-master-locator`, per service (oslo.messaging never sets it). */
  queues: ServiceQueues[];
}

export interface OptionAdoption {
  adoption: Adoption;
  /** Queues that show the option on. */
  migrated: number;
  /** Queues that tell whether it is on. */
  of: number;
}

/** How far one service (a binary in a vhost) has moved off classic queues. */
export interface ServiceMigration {
  vhost: string;
  binary: string;
  component: string | null;
  /** Its processes connected now. */
  processes: number;
  options: Record<MigrationOption, OptionAdoption>;
  /** Its queues RabbitMQ 4.3 denies (neither durable nor exclusive). */
  transientQueues: number;
}

/** One step of the in-place upgrade path, to the next series. */
export interface UpgradeHop {
  to: RabbitmqSeries;
  /** What this version takes away that a cloud may still use; null when nothing. */
  removes: UpgradeStop | null;
  /** What this cloud still uses that this hop removes or denies: to change before it. */
  changes: number;
  /** What the broker itself must have before this hop. */
  needs: string;
}

export interface UpgradePath {
  /** The series this broker runs; null when not known or off the path (older than 3.10, newer than 4.3). */
  current: RabbitmqSeries | null;
  /** The hops still ahead, next first. */
  hops: UpgradeHop[];
  /** What an operator must know about the path from here (a 3.x cluster cannot jump to 4.x's end). */
  note: string | null;
}

export interface UpgradeReadiness {
  rabbitmqVersion: string | null;
  path: UpgradePath;
  /** 4.0+: the type a queue declared without x-queue-type gets; null where the broker does not say. */
  defaultQueueType: string | null;
  /** The next version that takes something away; null past the last one, or when the version is not known. */
  nextStop: UpgradeStop | null;
  changes: {
    /** To change before each coming version (every version when this one is not known), oldest first. */
    before: { stop: UpgradeStop; count: number }[];
    /** What this version already refuses or ignores. */
    now: number;
    /** Deprecated, or doing nothing, with no version named that refuses it. */
    later: number;
  };
  mirroring: MirroringCheck;
  transientQueues: TransientQueuesCheck;
  deprecatedFeatures: DeprecatedFeaturesCheck;
  globalQos: GlobalQosCheck;
  queueMasterLocator: QueueMasterLocatorCheck;
  /** Every OpenStack service seen, by component, binary and vhost. */
  services: ServiceMigration[];
}

// ---------------------------------------------------------------- versions

type Version = readonly [major: number, minor: number];

export function parseVersion(version: string | null | undefined): Version | null {
  const m = /^(\d+)\.(\d+)/.exec(version ?? '');
  return m ? [Number(m[1]), Number(m[2])] : null;
}

function atLeast(version: Version, than: string): boolean {
  const [major, minor] = parseVersion(than) ?? [0, 0];
  return version[0] > major || (version[0] === major && version[1] >= minor);
}

/** What must hold on the broker before each hop (RabbitMQ's upgrade guide and release notes). */
const HOP_NEEDS: Readonly<Record<RabbitmqSeries, string>> = Object.freeze({
  '3.10': '',
  '3.11': 'every feature flag enabled on 3.10 (rabbitmqctl enable_feature_flag all)',
  '3.12': '3.11.18 or later, with every feature flag enabled',
  '3.13': 'every feature flag enabled on 3.12',
  '4.0': 'every stable feature flag enabled on 3.13; classic queue mirroring is gone in 4.0',
  '4.1': 'every feature flag enabled on 4.0',
  '4.2': 'every feature flag enabled on 4.1',
  '4.3': 'Khepri enabled on 4.2 (rabbitmqctl enable_feature_flag khepri_db): 4.3 has no Mnesia and upgrades in place only from 4.2',
});

function seriesOf(version: Version | null): RabbitmqSeries | null {
  if (version === null) return null;
  const series = `${version[0]}.${version[1]}`;
  return RABBITMQ_SERIES.find((s) => s === series) ?? null;
}

/** Where the broker is on 3.10 → … → 4.3, and what each hop left takes away, counted from the checks. */
function upgradePath(version: Version | null, changesBefore: (stop: UpgradeStop) => number): UpgradePath {
  const current = seriesOf(version);
  const last = RABBITMQ_SERIES[RABBITMQ_SERIES.length - 1]!;
  if (current === null) {
    const note =
      version === null
        ? 'The broker did not say its version: where it stands on the path is not known.'
        : atLeast(version, last)
          ? null
          : `RabbitMQ ${version.join('.')} is older than 3.10: upgrade it one series at a time to 3.10 first, or move to a new cluster.`;
    return { current: null, hops: [], note };
  }
  const hops = RABBITMQ_SERIES.slice(RABBITMQ_SERIES.indexOf(current) + 1).map((to): UpgradeHop => {
    const removes = UPGRADE_STOPS.find((s) => s === to) ?? null;
    return { to, removes, changes: removes === null ? 0 : changesBefore(removes), needs: HOP_NEEDS[to] };
  });
  const note =
    version !== null && version[0] < 4
      ? `RabbitMQ ${last} cannot be reached from ${current} in place: it upgrades only from 4.2, and each series only from the one before it (${[current, ...hops.map((h) => h.to)].join(' → ')}). The other way is a new ${last} cluster beside this one (a blue-green migration).`
      : null;
  return { current, hops, note };
}

/** RabbitMQ lists the deprecated features in use from 3.13 on. */
const DEPRECATED_FEATURES_REPORTED_FROM = '3.13';

/** RabbitMQ's names of the deprecated features the checks here explain. */
const DEPRECATED_FEATURE_CHECKS: Readonly<Record<string, UpgradeCheckId>> = Object.freeze({
  classic_queue_mirroring: 'classic-mirroring',
  transient_nonexcl_queues: 'transient-queues',
  global_qos: 'global-qos',
  queue_master_locator: 'queue-master-locator',
});

// ---------------------------------------------------------------- who owns a queue

const EXAMPLES = 3;

/** The binaries a queue belongs to: its consumers', its queue-manager name's, or its topic's servers'. */
function queueOwners(topology: Topology): (q: Queue) => string[] {
  const binariesOf = (q: Queue): string[] => {
    const binaries = new Set<string>();
    for (const p of topology.index.processesOf(q.processIds)) if (p.binary) binaries.add(p.binary);
    return [...binaries];
  };
  const topicServers = new Map<string, Set<string>>();
  for (const q of topology.queues) {
    if (!q.topic || q.kind === 'notification') continue;
    const key = refKey(q.vhost, q.topic);
    for (const b of binariesOf(q)) {
      const set = topicServers.get(key);
      if (set) set.add(b);
      else topicServers.set(key, new Set([b]));
    }
  }
  return (q) => {
    const consumers = binariesOf(q);
    if (consumers.length > 0) return consumers;
    if (q.binary) return [q.binary];
    if (q.topic && q.kind !== 'notification') return [...(topicServers.get(refKey(q.vhost, q.topic)) ?? [])];
    return [];
  };
}

/**
 * A service's component where its binary's name does not say it: that of the topics it serves. Not
 * that of notification, reply or fanout queues: ceilometer consumes nova's notifications.
 */
function componentOfQueue(q: Queue): string | null {
  return q.kind === 'rpc-topic' || q.kind === 'rpc-server' ? q.component : null;
}

/** Groups queues per (vhost, owning binary); a queue no one owns goes to its vhost's group of no service. */
function groupByService(
  queues: readonly Queue[],
  ownersOf: (q: Queue) => string[],
  componentOf: (binary: string) => string | null,
  optionsFor: (kinds: ReadonlySet<QueueKind>) => OptionSetting[],
): ServiceQueues[] {
  const groups = new Map<string, { group: ServiceQueues; kinds: Set<QueueKind> }>();
  for (const q of queues) {
    const owners = ownersOf(q);
    for (const binary of owners.length > 0 ? owners : [null]) {
      const key = refKey(q.vhost, binary ?? '');
      let entry = groups.get(key);
      if (!entry) {
        const group: ServiceQueues = { vhost: q.vhost, binary, component: binary ? componentOf(binary) : null, count: 0, byKind: {}, options: [], examples: [] };
        groups.set(key, (entry = { group, kinds: new Set() }));
      }
      const { group, kinds } = entry;
      group.count++;
      group.byKind[q.kind] = (group.byKind[q.kind] ?? 0) + 1;
      group.component ??= componentOfQueue(q);
      kinds.add(q.kind);
      if (group.examples.length < EXAMPLES) group.examples.push(q.name);
    }
  }
  const list = [...groups.values()].map(({ group, kinds }) => ({ ...group, options: optionsFor(kinds) }));
  return list.sort(
    (a, b) =>
      (a.binary === null ? 1 : 0) - (b.binary === null ? 1 : 0) ||
      compareNatural(a.component ?? '\uffff', b.component ?? '\uffff') ||
      compareNatural(a.binary ?? '', b.binary ?? '') ||
      compareNatural(a.vhost, b.vhost),
  );
}

// ---------------------------------------------------------------- the checks

const HA_KEY_PREFIX = 'ha-';
const HA_ARGUMENT = 'x-ha-policy';
/** Policies applied to these reach classic queues, the only ones ever mirrored. */
const APPLY_TO_CLASSIC: ReadonlySet<string> = new Set<PolicyTarget>(['queues', 'all', 'classic_queues']);

function haKeysOf(p: PolicyInput): Record<string, unknown> {
  return Object.fromEntries(Object.entries(p.definition).filter(([k]) => k.startsWith(HA_KEY_PREFIX)));
}

function patternOf(pattern: string): RegExp | null {
  try {
    return new RegExp(pattern);
  } catch {
    return null;
  }
}

/** The classic queues a policy applies to now; null when its pattern is not a regular expression JavaScript reads. */
function classicQueuesMatched(p: PolicyInput, queues: readonly Queue[]): { matchedQueues: number | null; examples: string[] } {
  const regex = patternOf(p.pattern);
  const matched = regex && APPLY_TO_CLASSIC.has(p.applyTo) ? queues.filter((q) => q.vhost === p.vhost && q.type === 'classic' && !q.exclusive && regex.test(q.name)) : [];
  return { matchedQueues: regex ? matched.length : null, examples: matched.slice(0, EXAMPLES).map((q) => q.name) };
}

function mirroringPolicy(p: PolicyInput, queues: readonly Queue[]): MirroringPolicy {
  const haKeys = haKeysOf(p);
  return {
    vhost: p.vhost,
    name: p.name,
    pattern: p.pattern,
    applyTo: p.applyTo,
    priority: p.priority,
    haKeys,
    otherKeys: Object.keys(p.definition).filter((k) => !(k in haKeys)),
    ...classicQueuesMatched(p, queues),
  };
}

function mirroringCheck(
  topology: Topology,
  policies: readonly PolicyInput[] | null | undefined,
  version: Version | null,
  group: (queues: readonly Queue[], optionsFor: (kinds: ReadonlySet<QueueKind>) => OptionSetting[]) => ServiceQueues[],
): MirroringCheck {
  const removedHere = version !== null && atLeast(version, '4.0');
  const mirroring = policies ? policies.filter((p) => Object.keys(haKeysOf(p)).length > 0).map((p) => mirroringPolicy(p, topology.queues)) : null;
  const haQueues = topology.queues.filter((q) => HA_ARGUMENT in q.arguments);
  const haArgumentQueues = group(haQueues, haArgumentOptions);
  const found = (mirroring?.length ?? 0) + haArgumentQueues.length;
  const parts: string[] = [];
  if (removedHere) parts.push('This RabbitMQ has no classic mirroring (removed in 4.0): it refuses ha-* policy keys.');
  if (mirroring && mirroring.length > 0) {
    const matched = mirroring.reduce((n, p) => n + (p.matchedQueues ?? 0), 0);
    parts.push(
      `${plural(mirroring.length, 'policy', 'policies')} with ha-* keys ${mirroring.length === 1 ? 'matches' : 'match'} ${plural(matched, 'classic queue')}: ` +
        (removedHere ? 'this version ignores them.' : 'RabbitMQ 4.0 refuses ha-* keys and mirrors nothing.'),
    );
  }
  if (haQueues.length > 0) {
    parts.push(`${plural(haQueues.length, 'queue')} still ${haQueues.length === 1 ? 'asks' : 'ask'} for mirroring with x-ha-policy (oslo's rabbit_ha_queues = true), an argument RabbitMQ has ignored since 3.0.`);
  }
  // From 4.0 on no policy can hold ha-* keys: unread policies hide nothing.
  const policiesUnknown = mirroring === null && !removedHere;
  if (policiesUnknown) parts.push("The broker's policies could not be read (this user may not list them): mirroring policies are not known.");
  else if (found === 0 && !removedHere) parts.push('No policy mirrors queues and no queue asks for mirroring.');
  const summary = parts.join(' ');
  const remedies: string[] = [];
  if (mirroring && mirroring.length > 0) remedies.push('Remove the ha-* keys from these policies (delete a policy they leave empty)');
  if (found > 0)
    remedies.push(
      'replicate with quorum queues instead: [oslo_messaging_rabbit] rabbit_quorum_queue = true and rabbit_ha_queues = false, then delete the old classic queues so oslo.messaging declares them again',
    );
  return {
    id: 'classic-mirroring',
    status: found > 0 ? 'to-change' : policiesUnknown ? 'not-known' : 'clear',
    stop: '4.0',
    changes: found,
    summary,
    remedy: remedies.length > 0 ? `${capitalize(remedies.join('; '))}.` : null,
    policies: mirroring,
    haArgumentQueues,
    removedHere,
  };
}

/** oslo's rabbit_ha_queues adds x-ha-policy to every queue it declares; quorum queues are what replicates instead. */
function haArgumentOptions(kinds: ReadonlySet<QueueKind>): OptionSetting[] {
  const replicated = transientOptions(kinds);
  return replicated.length > 0 ? [{ name: 'rabbit_ha_queues', value: false }, ...replicated] : [];
}

/** oslo.messaging declares these transient unless the option is set. */
function transientOptions(kinds: ReadonlySet<QueueKind>): OptionSetting[] {
  const options: OptionSetting[] = [];
  if (kinds.has('rpc-topic') || kinds.has('rpc-server') || kinds.has('notification')) options.push({ name: 'rabbit_quorum_queue', value: true });
  if (kinds.has('reply') || kinds.has('rpc-fanout')) options.push({ name: 'rabbit_transient_quorum_queue', value: true });
  return options;
}

function transientQueuesCheck(topology: Topology, version: Version | null, group: (queues: readonly Queue[], optionsFor: typeof transientOptions) => ServiceQueues[]): TransientQueuesCheck {
  const transient = topology.queues.filter((q) => !q.durable && !q.exclusive);
  const services = group(transient, transientOptions);
  const deniedHere = version !== null && atLeast(version, '4.3');
  const named = services.filter((s) => s.binary !== null).length;
  return {
    id: 'transient-queues',
    status: transient.length > 0 ? 'to-change' : 'clear',
    stop: '4.3',
    changes: services.length,
    summary:
      transient.length === 0
        ? 'Every queue is durable or exclusive: nothing here that RabbitMQ 4.3 denies.'
        : `${plural(transient.length, 'queue')} neither durable nor exclusive, declared by ${plural(named, 'service')}${named < services.length ? ' and clients not known' : ''}: ` +
          (deniedHere
            ? 'this version denies them by default; they exist because its configuration permits them (deprecated_features.permit.transient_nonexcl_queues).'
            : 'RabbitMQ 4.3 refuses to declare them by default.'),
    remedy:
      transient.length === 0
        ? null
        : 'Per service: rabbit_transient_quorum_queue = true for its reply and fanout queues (oslo.messaging 14.7+, 2024.1), rabbit_quorum_queue = true for its topic and server queues; other clients must declare their queues durable or exclusive.',
    total: transient.length,
    services,
  };
}

const MASTER_LOCATOR_KEY = 'queue-master-locator';
const MASTER_LOCATOR_ARGUMENT = 'x-queue-master-locator';
/** queue-master-locator's values and the queue-leader-locator value that does the same. */
const LEADER_LOCATOR_OF: Readonly<Record<string, string>> = Object.freeze({ 'min-masters': 'balanced', random: 'balanced', 'client-local': 'client-local' });

function locatorPolicy(p: PolicyInput, queues: readonly Queue[]): LocatorPolicy {
  const raw = p.definition[MASTER_LOCATOR_KEY];
  const value = typeof raw === 'string' ? raw : JSON.stringify(raw);
  return {
    vhost: p.vhost,
    name: p.name,
    pattern: p.pattern,
    applyTo: p.applyTo,
    value,
    leaderLocator: LEADER_LOCATOR_OF[value] ?? null,
    ...classicQueuesMatched(p, queues),
  };
}

function queueMasterLocatorCheck(
  topology: Topology,
  policies: readonly PolicyInput[] | null | undefined,
  version: Version | null,
  group: (queues: readonly Queue[], optionsFor: (kinds: ReadonlySet<QueueKind>) => OptionSetting[]) => ServiceQueues[],
): QueueMasterLocatorCheck {
  const deniedHere = version !== null && atLeast(version, '4.3');
  const located = policies ? policies.filter((p) => MASTER_LOCATOR_KEY in p.definition).map((p) => locatorPolicy(p, topology.queues)) : null;
  const argumentQueues = topology.queues.filter((q) => MASTER_LOCATOR_ARGUMENT in q.arguments);
  // oslo.messaging never sets the argument: there is no option to name.
  const queues = group(argumentQueues, () => []);
  const found = (located?.length ?? 0) + queues.length;
  const parts: string[] = [];
  if (located && located.length > 0) {
    const matched = located.reduce((n, p) => n + (p.matchedQueues ?? 0), 0);
    parts.push(`${plural(located.length, 'policy', 'policies')} ${located.length === 1 ? 'sets' : 'set'} queue-master-locator, matching ${plural(matched, 'classic queue')}.`);
  }
  if (argumentQueues.length > 0) {
    const named = queues.filter((s) => s.binary !== null).length;
    const by = named === 0 ? 'clients not known' : `${plural(named, 'client')}${named < queues.length ? ' and clients not known' : ''}`;
    parts.push(`${plural(argumentQueues.length, 'queue')} ${argumentQueues.length === 1 ? 'was' : 'were'} declared with x-queue-master-locator by ${by} (not oslo.messaging, which never sets it).`);
  }
  if (found > 0)
    parts.push(
      deniedHere
        ? 'This version denies queue_master_locator by default: it refuses a policy that sets it and closes the connection on a declaration with x-queue-master-locator (541 INTERNAL_ERROR), unless its configuration permits it (deprecated_features.permit.queue_master_locator).'
        : 'Deprecated since RabbitMQ 4.0, it is denied by default in 4.3: a declaration with x-queue-master-locator closes the connection there.',
    );
  const policiesUnknown = located === null;
  if (policiesUnknown && found === 0) parts.push("The broker's policies could not be read (this user may not list them): policies setting queue-master-locator are not known.");
  else if (found === 0) parts.push('No policy sets queue-master-locator and no queue was declared with x-queue-master-locator.');
  const remedies: string[] = [];
  if (located && located.length > 0) remedies.push('In these policies replace queue-master-locator with queue-leader-locator');
  if (queues.length > 0) remedies.push('have these clients declare x-queue-leader-locator instead of x-queue-master-locator, then delete their queues so they are declared again without it (a queue keeps the arguments it was declared with)');
  return {
    id: 'queue-master-locator',
    status: found > 0 ? 'to-change' : policiesUnknown ? 'not-known' : 'clear',
    stop: '4.3',
    changes: found,
    summary: parts.join(' '),
    remedy:
      remedies.length > 0
        ? `${capitalize(remedies.join('; '))}: min-masters and random become balanced, client-local stays client-local. In rabbitmq.conf, queue_master_locator becomes queue_leader_locator.`
        : null,
    policies: located,
    queues,
  };
}

function deprecatedFeaturesCheck(features: readonly DeprecatedFeatureInput[] | null | undefined, version: Version | null, explained: (id: UpgradeCheckId) => boolean): DeprecatedFeaturesCheck {
  const base = { id: 'deprecated-features' as const, stop: null };
  if (!features) {
    const beforeReported = version !== null && !atLeast(version, DEPRECATED_FEATURES_REPORTED_FROM);
    return {
      ...base,
      status: 'not-known',
      changes: 0,
      summary: beforeReported
        ? `This broker does not report them (before ${DEPRECATED_FEATURES_REPORTED_FROM}).`
        : "The broker's list of deprecated features in use could not be read.",
      remedy: null,
      features: null,
    };
  }
  const list = features.map((f): DeprecatedFeature => ({ name: f.name, phase: f.phase, docUrl: f.docUrl, explainedBy: DEPRECATED_FEATURE_CHECKS[f.name] ?? null }));
  // A feature another check explains and counts is one change, counted there.
  const changes = list.filter((f) => !(f.explainedBy && explained(f.explainedBy))).length;
  return {
    ...base,
    status: list.length > 0 ? 'to-change' : 'clear',
    changes,
    summary: list.length === 0 ? 'The broker uses no deprecated feature.' : `RabbitMQ says it uses ${plural(list.length, 'deprecated feature')}: a coming version removes ${list.length === 1 ? 'it' : 'them'}.`,
    remedy: list.length === 0 ? null : "Each links to RabbitMQ's notes on it; where a check above explains one, change what it lists.",
    features: list,
  };
}

function globalQosCheck(topology: Topology, inputs: Pick<BrokerInputs, 'channels' | 'deprecatedFeatures'>): GlobalQosCheck {
  const base = { id: 'global-qos' as const, stop: '4.3' as const };
  const reported = inputs.channels.filter((ch) => ch.globalPrefetchCount !== null && ch.globalPrefetchCount !== undefined);
  const saidInUse = inputs.deprecatedFeatures?.some((f) => f.name === 'global_qos') ?? false;
  const remedy = 'Change these clients to a per-consumer prefetch (basic.qos with global = false). oslo.messaging never uses global QoS: these are other clients.';
  if (reported.length === 0 && inputs.channels.length > 0) {
    return saidInUse
      ? { ...base, status: 'to-change', changes: 1, summary: 'RabbitMQ says a client uses global QoS; this version does not report which channel.', remedy, users: null }
      : {
          ...base,
          status: 'not-known',
          changes: 0,
          summary: "This RabbitMQ does not report a channel's global prefetch (RabbitMQ 4 no longer does): whether a client uses global QoS is not known here.",
          remedy: null,
          users: null,
        };
  }
  const users = new Map<string, GlobalQosUser>();
  for (const ch of reported) {
    const count = ch.globalPrefetchCount ?? 0;
    if (count <= 0) continue;
    const connection = topology.index.connection(ch.connectionName);
    const process = connection?.processId ? topology.index.process(connection.processId) : undefined;
    const key = process?.id ?? ch.connectionName;
    let user = users.get(key);
    if (!user) {
      user = { processId: process?.id ?? null, binary: process?.binary ?? null, host: process?.host ?? null, connections: [], channels: 0, globalPrefetchCount: 0 };
      users.set(key, user);
    }
    if (!user.connections.includes(ch.connectionName)) user.connections.push(ch.connectionName);
    user.channels++;
    user.globalPrefetchCount = Math.max(user.globalPrefetchCount, count);
  }
  const list = [...users.values()].sort((a, b) => compareNatural(a.binary ?? '\uffff', b.binary ?? '\uffff') || compareNatural(a.host ?? '', b.host ?? ''));
  return {
    ...base,
    status: list.length > 0 ? 'to-change' : 'clear',
    changes: list.length,
    summary:
      list.length > 0
        ? `${plural(list.length, 'process', 'processes')} share${list.length === 1 ? 's' : ''} one prefetch over a channel's consumers (global QoS): RabbitMQ 4.3 denies it by default.`
        : inputs.channels.length === 0
          ? 'No channel is open: no client uses global QoS now.'
          : 'No channel uses global QoS.',
    remedy: list.length > 0 ? remedy : null,
    users: list,
  };
}

// ---------------------------------------------------------------- per service: how far it moved

/** Which migration options a queue tells about, and whether it shows each on. */
function optionsShown(q: Queue): [MigrationOption, boolean][] {
  const quorum = q.type === 'quorum';
  const queueManagerName = q.binary !== null;
  switch (q.kind) {
    case 'rpc-topic':
    case 'rpc-server':
    case 'notification':
      return [['rabbit_quorum_queue', quorum]];
    case 'reply':
      return [
        ['rabbit_transient_quorum_queue', quorum],
        ['use_queue_manager', queueManagerName],
      ];
    case 'rpc-fanout':
      // One shared stream per topic: its name does not tell use_queue_manager; but oslo.messaging refuses
      // rabbit_stream_fanout without rabbit_transient_quorum_queue, so a stream says that one is on too.
      if (q.type === 'stream')
        return [
          ['rabbit_stream_fanout', true],
          ['rabbit_transient_quorum_queue', true],
        ];
      return [
        ['rabbit_stream_fanout', false],
        ['rabbit_transient_quorum_queue', quorum],
        ['use_queue_manager', queueManagerName],
      ];
    case 'other':
      return [];
  }
}

function adoptionOf(migrated: number, of: number): Adoption {
  if (of === 0) return 'not-known';
  if (migrated === of) return 'yes';
  return migrated === 0 ? 'no' : 'partly';
}

function serviceMigrations(topology: Topology, ownersOf: (q: Queue) => string[], componentOf: (binary: string) => string | null): ServiceMigration[] {
  interface Tally {
    vhost: string;
    binary: string;
    processes: number;
    shown: Record<MigrationOption, { migrated: number; of: number }>;
    transientQueues: number;
    component: string | null;
  }
  const tallies = new Map<string, Tally>();
  const tally = (vhost: string, binary: string): Tally => {
    const key = refKey(vhost, binary);
    let t = tallies.get(key);
    if (!t) {
      const shown = Object.fromEntries(MIGRATION_OPTIONS.map((o) => [o, { migrated: 0, of: 0 }])) as Tally['shown'];
      tallies.set(key, (t = { vhost, binary, processes: 0, shown, transientQueues: 0, component: componentOf(binary) }));
    }
    return t;
  };
  // OpenStack's services: oslo.messaging's processes, and binaries named by queue-manager names.
  for (const p of topology.processes) {
    if (!p.oslo || !p.binary) continue;
    for (const vhost of p.vhosts) tally(vhost, p.binary).processes++;
  }
  for (const q of topology.queues) if (q.binary) tally(q.vhost, q.binary);

  for (const q of topology.queues) {
    const shown = optionsShown(q);
    const transient = !q.durable && !q.exclusive;
    for (const binary of ownersOf(q)) {
      const t = tallies.get(refKey(q.vhost, binary));
      if (!t) continue;
      t.component ??= componentOfQueue(q);
      if (transient) t.transientQueues++;
      for (const [option, on] of shown) {
        t.shown[option].of++;
        if (on) t.shown[option].migrated++;
      }
    }
  }
  return [...tallies.values()]
    .map((t) => ({
      vhost: t.vhost,
      binary: t.binary,
      component: t.component,
      processes: t.processes,
      options: Object.fromEntries(MIGRATION_OPTIONS.map((o) => [o, { adoption: adoptionOf(t.shown[o].migrated, t.shown[o].of), ...t.shown[o] }])) as Record<MigrationOption, OptionAdoption>,
      transientQueues: t.transientQueues,
    }))
    .sort((a, b) => compareNatural(a.component ?? '\uffff', b.component ?? '\uffff') || compareNatural(a.binary, b.binary) || compareNatural(a.vhost, b.vhost));
}

// ---------------------------------------------------------------- all of it

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** What the coming RabbitMQ versions take away that this cloud uses, and what to change where. */
export function upgradeReadiness({ topology, inputs }: { topology: Topology; inputs: Pick<BrokerInputs, 'channels' | 'policies' | 'deprecatedFeatures'> }): UpgradeReadiness {
  const version = parseVersion(topology.overview.rabbitmqVersion);
  const componentNames = new Set(topology.components.map((c) => c.name));
  const componentOf = (binary: string) => componentOfBinary(binary, componentNames);
  const ownersOf = queueOwners(topology);
  const group = (queues: readonly Queue[], optionsFor: (kinds: ReadonlySet<QueueKind>) => OptionSetting[]) => groupByService(queues, ownersOf, componentOf, optionsFor);

  const mirroring = mirroringCheck(topology, inputs.policies, version, group);
  const transientQueues = transientQueuesCheck(topology, version, group);
  const globalQos = globalQosCheck(topology, inputs);
  const queueMasterLocator = queueMasterLocatorCheck(topology, inputs.policies, version, group);
  const counted = (id: UpgradeCheckId) => [mirroring, transientQueues, globalQos, queueMasterLocator].some((c) => c.id === id && c.changes > 0);
  const deprecatedFeatures = deprecatedFeaturesCheck(inputs.deprecatedFeatures, version, counted);

  // Mirroring asked for by a queue argument has done nothing since RabbitMQ 3.0: no version refuses it.
  const haArgumentChanges = mirroring.haArgumentQueues.length;
  const changes: { stop: UpgradeStop | null; count: number }[] = [
    { stop: mirroring.stop, count: mirroring.changes - haArgumentChanges },
    { stop: null, count: haArgumentChanges },
    { stop: transientQueues.stop, count: transientQueues.changes },
    { stop: deprecatedFeatures.stop, count: deprecatedFeatures.changes },
    { stop: globalQos.stop, count: globalQos.changes },
    { stop: queueMasterLocator.stop, count: queueMasterLocator.changes },
  ];
  const past = (stop: UpgradeStop) => version !== null && atLeast(version, stop);
  const comingStops = UPGRADE_STOPS.filter((s) => !past(s));
  const countWhere = (keep: (stop: UpgradeStop | null) => boolean) => changes.filter((c) => keep(c.stop)).reduce((n, c) => n + c.count, 0);

  return {
    rabbitmqVersion: topology.overview.rabbitmqVersion,
    path: upgradePath(version, (stop) => countWhere((s) => s === stop)),
    defaultQueueType: topology.overview.defaultQueueType ?? null,
    nextStop: version === null ? null : (comingStops[0] ?? null),
    changes: {
      before: comingStops.map((stop) => ({ stop, count: countWhere((s) => s === stop) })),
      now: countWhere((s) => s !== null && past(s)),
      later: countWhere((s) => s === null),
    },
    mirroring,
    transientQueues,
    deprecatedFeatures,
    globalQos,
    queueMasterLocator,
    services: serviceMigrations(topology, ownersOf, componentOf),
  };
}
