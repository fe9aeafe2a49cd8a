import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '@/lib/domain/findings/types';
import { capture, CAPTURE_VERSION, CaptureError, decodeCapture, encodeCapture } from './capture';
import { Diagnosis } from './diagnosis';

// Written by `npm run snapshot` of main at 9f9b817 (before captures had a schema of their own), on
// the demo cloud with compute02's nova-compute connected but not consuming.
const V1 = readFileSync(path.join(__dirname, '../../tests/fixtures/capture-v1.json.gz'));
const json = () => JSON.parse(gunzipSync(V1).toString('utf8')) as Record<string, unknown> & { inputs: { queues: Record<string, unknown>[] } };

function open(file: Buffer) {
  const c = decodeCapture(file);
  const state = new Diagnosis(DEFAULT_THRESHOLDS, 120).restore({
    kind: 'captured',
    inputs: c.inputs,
    warnings: c.warnings,
    at: c.capturedAt,
    topologyAt: c.capturedAt,
    tracker: c.findings,
    history: c.history,
  });
  return { capture: c, state };
}

describe('offline captures', () => {
  it('a capture written by the main of before opens whole: its findings, its services, its history', () => {
    const { capture: c, state } = open(V1);
    expect(c.version).toBe(1);
    expect(state.topology.totals).toMatchObject({ queues: 72, connections: 13 });
    const [finding] = state.findings.open;
    expect(finding).toMatchObject({ rule: 'rpc-server-unconsumed', severity: 'critical', subject: { type: 'queue', vhost: 'capture-fixture', name: 'compute.compute02' } });
    expect(finding?.since).toBe(c.findings.open[0]?.since);
    expect(state.services.find((r) => r.host === 'compute02' && r.topic === 'compute')).toMatchObject({ status: 'not-consuming', idleProcesses: [{ binary: 'nova-compute' }] });
    expect(state.history.global.length).toBe(c.history.length);
  });

  it('is written back the same as it was read', () => {
    const { capture: c, state } = open(V1);
    const again = decodeCapture(encodeCapture(capture(c.cluster, state)));
    expect(again).toEqual(c);
  });

  it('refuses another version, saying which it is and which this build reads', () => {
    const v2 = gzipSync(JSON.stringify({ ...json(), version: 2 }));
    expect(() => decodeCapture(v2)).toThrow(new CaptureError(`a capture of version 2; this build of Rabbit Lens reads version ${CAPTURE_VERSION}`));
  });

  it('refuses what is not a capture, or a damaged one, saying where', () => {
    expect(() => decodeCapture(Buffer.from('not a capture at all'))).toThrow(/^not a capture/);
    expect(() => decodeCapture(Buffer.from(JSON.stringify({ hello: 'world' })))).toThrow('not a Rabbit Lens capture');
    const damaged = json();
    damaged.inputs.queues[3] = { ...damaged.inputs.queues[3], consumers: 'many' };
    expect(() => decodeCapture(gzipSync(JSON.stringify(damaged)))).toThrow(/inputs\.queues\.3\.consumers/);
    const renamedRule = JSON.parse(JSON.stringify(json()).replace('"rule":"rpc-server-unconsumed"', '"rule":"rpc-server-gone"'));
    expect(() => decodeCapture(gzipSync(JSON.stringify(renamedRule)))).toThrow(/findings\.open\.0\.rule/);
  });
});
