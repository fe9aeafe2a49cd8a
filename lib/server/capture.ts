import 'server-only';
// Offline captures: what the dashboard read of one cluster (the broker's answers as mapped,
// the findings and what they remember, the overview's history), as gzipped JSON. No secret is
// in it (credentials live in the configuration only) and no message body (the dashboard reads
// none on its own). A capture opens as a read-only cluster: every page and finding works,
// showing the capture's time. This is how a support engineer inspects a cloud they cannot reach.
import { gunzipSync, gzipSync } from 'node:zlib';
import { z } from 'zod';
import type { HistorySample } from '@/lib/api/contract';
import { FindingTracker, type TrackerState } from '@/lib/domain/findings/engine';
import { buildTopology } from '@/lib/domain/topology';
import type { BrokerInputs, Topology } from '@/lib/domain/types';

export const CAPTURE_FORMAT = 'rabbit-lens-capture';
export const CAPTURE_VERSION = 1;

export interface Capture {
  format: typeof CAPTURE_FORMAT;
  version: typeof CAPTURE_VERSION;
  /** When the broker was read (epoch ms). */
  capturedAt: number;
  cluster: { id: string; name: string; managementUrl: string };
  inputs: BrokerInputs;
  warnings: string[];
  findings: TrackerState;
  history: HistorySample[];
}

/** What a source cluster gives to be captured. */
export interface Capturable {
  id: string;
  name: string;
  managementUrl: string;
  lastRead(): { inputs: BrokerInputs; warnings: string[]; at: number } | null;
  findings: FindingTracker;
  history: { globalSamples(): HistorySample[] };
}

export class CaptureError extends Error {}

export function capture(cluster: Capturable): Capture {
  const read = cluster.lastRead();
  if (!read) throw new CaptureError(`nothing to capture yet: cluster ${cluster.id} has not been read`);
  return {
    format: CAPTURE_FORMAT,
    version: CAPTURE_VERSION,
    capturedAt: read.at,
    cluster: { id: cluster.id, name: cluster.name, managementUrl: cluster.managementUrl },
    inputs: read.inputs,
    warnings: read.warnings,
    findings: cluster.findings.export(),
    history: cluster.history.globalSamples(),
  };
}

export function encodeCapture(c: Capture): Buffer {
  return gzipSync(JSON.stringify(c));
}

export function captureFileName(c: Capture): string {
  return `rabbit-lens-${c.cluster.id}-${new Date(c.capturedAt).toISOString().replace(/[:.]/g, '-')}.json.gz`;
}

const inputsShape = z.object({
  overview: z.object({ statsEnabled: z.boolean() }).loose(),
  nodes: z.array(z.object({ name: z.string() }).loose()),
  vhosts: z.array(z.string()),
  exchanges: z.array(z.object({ vhost: z.string(), name: z.string(), type: z.string() }).loose()),
  queues: z.array(z.object({ vhost: z.string(), name: z.string() }).loose()),
  bindings: z.array(z.object({ vhost: z.string(), source: z.string(), destination: z.string() }).loose()),
  consumers: z.array(z.object({ vhost: z.string(), queue: z.string() }).loose()),
  connections: z.array(z.object({ name: z.string() }).loose()),
  channels: z.array(z.object({ name: z.string() }).loose()),
});

const captureShape = z.object({
  format: z.literal(CAPTURE_FORMAT, { error: 'not a Rabbit Lens capture' }),
  version: z.literal(CAPTURE_VERSION, { error: `a capture of another version (this dashboard reads version ${CAPTURE_VERSION})` }),
  capturedAt: z.number(),
  cluster: z.object({ id: z.string(), name: z.string(), managementUrl: z.string() }),
  inputs: inputsShape,
  warnings: z.array(z.string()),
  findings: z.object({ open: z.array(z.unknown()), resolved: z.array(z.unknown()), consumersOf: z.array(z.unknown()), hostOf: z.array(z.unknown()) }),
  history: z.array(z.object({ t: z.number() }).loose()),
});

/** A capture file's content, checked; CaptureError says what is wrong with it. */
export function decodeCapture(file: Buffer): { capture: Capture; topology: Topology } {
  let json: unknown;
  try {
    json = JSON.parse((file[0] === 0x1f && file[1] === 0x8b ? gunzipSync(file) : file).toString('utf8'));
  } catch (err) {
    throw new CaptureError(`not a capture: ${(err as Error).message}`);
  }
  const checked = captureShape.safeParse(json);
  if (!checked.success) {
    const [issue] = checked.error.issues;
    throw new CaptureError(`not a usable capture: ${issue?.path.length ? `${issue.path.join('.')}: ` : ''}${issue?.message}`);
  }
  const capture = json as Capture;
  try {
    return { capture, topology: buildTopology(capture.inputs) };
  } catch (err) {
    throw new CaptureError(`the capture's broker data is damaged: ${(err as Error).message}`);
  }
}
