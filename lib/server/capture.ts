import 'server-only';
// Offline captures: what the dashboard read of one cluster (the broker's answers as mapped,
// the findings and what they remember, the overview's history), as gzipped JSON. No secret is
// in it (credentials live in the configuration only) and no message body (the dashboard reads
// none on its own). A capture opens as a read-only cluster: every page and finding works,
// showing the capture's time. This is how a support engineer inspects a cloud they cannot reach.
//
// The file format is declared here, apart from the domain's types, and checked whole when a
// file is opened. The two directions are tied to the domain by type: a field the domain renames
// or adds stops this module from compiling until the format (and, if it changes, the version)
// follows.
import { gunzipSync, gzipSync } from 'node:zlib';
import { z } from 'zod';
import { parseIdleSince } from '@/lib/broker/mappers';
import type { Same } from '@/lib/api/same';
import { type TrackerState } from '@/lib/domain/findings/engine';
import type { FindingSubject } from '@/lib/domain/findings/types';
import type { JournalSubject } from '@/lib/domain/journal';
import { type ClusterState, trackerOf } from '@/lib/domain/state';
import type { BrokerInputs, HistorySample } from '@/lib/domain/types';
import { DESTINATION_TYPES, JOURNAL_KINDS, RULE_IDS, SERIES_SCOPES, SEVERITIES } from '@/lib/domain/vocabulary';
import type { CapturedTime } from '@/lib/store/remembered';

export const CAPTURE_FORMAT = 'rabbit-lens-capture';
/** The version this build writes and reads. */
export const CAPTURE_VERSION = 1;

const text = z.string();
const nullableText = z.string().nullable();
const nullableNumber = z.number().nullable();
const args = z.record(z.string(), z.unknown());

/** Since when a queue is idle: held as epoch ms, written as ISO 8601 text (as the broker says it, and as every build of version 1 reads it). */
const idleSince = z.codec(z.string(), z.number(), {
  decode: (text, ctx) => {
    const t = parseIdleSince(text);
    if (t !== null) return t;
    ctx.issues.push({ code: 'invalid_format', format: 'datetime', input: text, message: `not a time: ${JSON.stringify(text)}` });
    return z.NEVER;
  },
  encode: (ms) => new Date(ms).toISOString(),
});

const rates = z.object({ publish: z.number(), deliver: z.number(), ack: z.number(), redeliver: z.number() }).nullable();

const inputs = z.object({
  overview: z.object({
    rabbitmqVersion: nullableText,
    managementVersion: nullableText,
    erlangVersion: nullableText,
    clusterName: nullableText,
    ratesMode: nullableText,
    statsEnabled: z.boolean(),
    rates,
    // Added within version 1 (RabbitMQ 4): optional, absent from older captures.
    defaultQueueType: nullableText.optional(),
  }),
  nodes: z.array(
    z.object({
      name: text,
      running: z.boolean(),
      type: nullableText,
      memAlarm: z.boolean(),
      diskFreeAlarm: z.boolean(),
      partitions: z.array(text),
      memUsed: nullableNumber,
      memLimit: nullableNumber,
      fdUsed: nullableNumber,
      fdTotal: nullableNumber,
      uptimeMs: nullableNumber,
      beingDrained: z.boolean().nullable().optional(),
    }),
  ),
  vhosts: z.array(text),
  exchanges: z.array(
    z.object({ vhost: text, name: text, type: text, durable: z.boolean(), autoDelete: z.boolean(), internal: z.boolean(), arguments: args }),
  ),
  queues: z.array(
    z.object({
      vhost: text,
      name: text,
      type: text,
      durable: z.boolean(),
      autoDelete: z.boolean(),
      exclusive: z.boolean(),
      arguments: args,
      node: nullableText,
      leader: nullableText.optional(),
      members: z.array(text).nullable().optional(),
      online: z.array(text).nullable().optional(),
      segments: nullableNumber.optional(),
      state: nullableText,
      messagesReady: nullableNumber,
      messagesUnacknowledged: nullableNumber,
      consumers: nullableNumber,
      rates,
      idleSince: idleSince.nullable(),
    }),
  ),
  bindings: z.array(
    z.object({ vhost: text, source: text, destination: text, destinationType: z.enum(DESTINATION_TYPES), routingKey: text }),
  ),
  consumers: z.array(
    z.object({
      vhost: text,
      queue: text,
      consumerTag: text,
      ackRequired: z.boolean(),
      prefetchCount: z.number(),
      active: z.boolean(),
      channelName: nullableText,
      connectionName: nullableText,
    }),
  ),
  connections: z.array(
    z.object({
      name: text,
      vhost: text,
      user: text,
      node: nullableText,
      peerHost: text,
      peerPort: nullableNumber,
      state: text,
      connectedAt: nullableNumber,
      clientConnectionName: nullableText,
      product: nullableText,
      productVersion: nullableText,
      platform: nullableText,
      channels: z.number(),
    }),
  ),
  channels: z.array(
    z.object({
      name: text,
      connectionName: text,
      number: z.number(),
      prefetchCount: z.number(),
      state: nullableText,
      consumerCount: z.number(),
      messagesUnacknowledged: z.number(),
      rates,
      globalPrefetchCount: nullableNumber.optional(),
    }),
  ),
  policies: z
    .array(z.object({ vhost: text, name: text, pattern: text, applyTo: text, priority: z.number(), definition: args }))
    .nullable()
    .optional(),
  deprecatedFeatures: z.array(z.object({ name: text, phase: nullableText, docUrl: nullableText })).nullable().optional(),
});

const findingSubject = z.discriminatedUnion('type', [
  z.object({ type: z.literal('queue'), vhost: text, name: text }),
  z.object({ type: z.literal('process'), id: text }),
  z.object({ type: z.literal('connection'), name: text, processId: nullableText }),
  z.object({ type: z.literal('node'), name: text }),
]);
const finding = z.object({
  id: text,
  rule: z.enum(RULE_IDS),
  severity: z.enum(SEVERITIES),
  since: z.number(),
  subject: findingSubject,
  title: text,
  explanation: text,
  evidence: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  component: nullableText.optional(),
  host: nullableText.optional(),
});

const historySample = z.object({
  t: z.number(),
  ready: nullableNumber,
  unacknowledged: nullableNumber,
  publish: nullableNumber,
  deliver: nullableNumber,
  ack: nullableNumber,
  redeliver: nullableNumber,
});

const journalSubject = z.discriminatedUnion('type', [
  z.object({ type: z.literal('queue'), vhost: text, name: text }),
  z.object({ type: z.literal('connection'), name: text }),
  z.object({ type: z.literal('process'), id: text }),
  z.object({ type: z.literal('node'), name: text }),
  z.object({ type: z.literal('policy'), vhost: text, name: text }),
  z.object({ type: z.literal('finding'), id: text, rule: z.enum(RULE_IDS), about: findingSubject }),
]);
const journalEntry = z.object({
  at: z.number(),
  kind: z.enum(JOURNAL_KINDS),
  subject: journalSubject,
  host: nullableText,
  binary: nullableText,
  process: nullableText,
  vhost: nullableText,
  queue: nullableText,
  before: nullableText,
  after: nullableText,
});
const seriesPoint = z.object({
  t: z.number(),
  ready: nullableNumber,
  unacked: nullableNumber,
  consumers: nullableNumber,
  publish: nullableNumber,
  deliver: nullableNumber,
  ack: nullableNumber,
  redeliver: nullableNumber,
});
/** A range of the store: the journal of it (newest first) and the history's series at one resolution. */
const time = z.object({
  from: z.number(),
  to: z.number(),
  journal: z.array(journalEntry),
  series: z.array(z.object({ scope: z.enum(SERIES_SCOPES), key: text, stepMs: z.number(), points: z.array(seriesPoint) })),
});

const captureFile = z.object({
  format: z.literal(CAPTURE_FORMAT),
  version: z.literal(CAPTURE_VERSION),
  /** When the broker was read (epoch ms). */
  capturedAt: z.number(),
  cluster: z.object({ id: text, name: text, managementUrl: text }),
  inputs,
  warnings: z.array(text),
  findings: z.object({
    open: z.array(finding),
    resolved: z.array(finding.extend({ resolvedAt: z.number() })),
    consumersOf: z.array(z.tuple([text, z.array(text)])),
    hostOf: z.array(z.tuple([text, text])),
  }),
  history: z.array(historySample),
  /**
   * What the store remembered of a range the operator picked; absent where the dashboard kept no
   * store. Added within version 1: optional here, and ignored by a build that predates it.
   */
  time: time.optional(),
});

export type Capture = z.infer<typeof captureFile>;

// The domain and the format agree, both ways: neither compiles if one of them changes alone.
const inputsAgree: Same<z.infer<typeof inputs>, BrokerInputs> = true;
const historyAgrees: Same<z.infer<typeof historySample>, HistorySample> = true;
const findingSubjectAgrees: Same<z.infer<typeof findingSubject>, FindingSubject> = true;
const journalSubjectAgrees: Same<z.infer<typeof journalSubject>, JournalSubject> = true;
const findingsAgree: [z.infer<typeof captureFile>['findings']] extends [TrackerState] ? true : false = true;
const timeAgrees: Same<z.infer<typeof time>, CapturedTime> = true;
void [inputsAgree, historyAgrees, findingSubjectAgrees, journalSubjectAgrees, findingsAgree, timeAgrees];

export class CaptureError extends Error {}

/** The capture of one refresh's state. */
export function capture(cluster: { id: string; name: string; managementUrl: string }, state: ClusterState, remembered?: CapturedTime): Capture {
  const tracker = trackerOf(state);
  return {
    format: CAPTURE_FORMAT,
    version: CAPTURE_VERSION,
    capturedAt: state.at,
    cluster: { id: cluster.id, name: cluster.name, managementUrl: cluster.managementUrl },
    inputs: state.inputs,
    warnings: [...state.warnings],
    findings: { ...tracker, consumersOf: tracker.consumersOf.map(([k, ids]) => [k, [...ids]]) },
    history: [...state.history.global],
    ...(remembered ? { time: remembered } : {}),
  };
}

export function encodeCapture(c: Capture): Buffer {
  return gzipSync(JSON.stringify(captureFile.encode(c)));
}

export function captureFileName(c: Capture): string {
  return `rabbit-lens-${c.cluster.id}-${new Date(c.capturedAt).toISOString().replace(/[:.]/g, '-')}.json.gz`;
}

const header = z.object({ format: z.unknown(), version: z.unknown() });

/** A capture file's content, checked whole; CaptureError says what is wrong with it. */
export function decodeCapture(file: Buffer): Capture {
  let json: unknown;
  try {
    json = JSON.parse((file[0] === 0x1f && file[1] === 0x8b ? gunzipSync(file) : file).toString('utf8'));
  } catch (err) {
    throw new CaptureError(`not a capture: ${(err as Error).message}`);
  }
  const head = header.safeParse(json);
  if (!head.success || head.data.format !== CAPTURE_FORMAT) throw new CaptureError('not a Rabbit Lens capture');
  if (head.data.version !== CAPTURE_VERSION)
    throw new CaptureError(`a capture of version ${JSON.stringify(head.data.version)}; this build of Rabbit Lens reads version ${CAPTURE_VERSION}`);
  const checked = captureFile.safeParse(json);
  if (!checked.success) {
    const [issue] = checked.error.issues;
    throw new CaptureError(`not a usable capture (version ${CAPTURE_VERSION}): ${issue?.path.length ? `${issue.path.join('.')}: ` : ''}${issue?.message}`);
  }
  return checked.data;
}
