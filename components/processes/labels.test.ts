import { describe, expect, it } from 'vitest';
import type { Process } from '@/lib/api/schemas';
import { processMatches } from '@/lib/domain/process';
import { hostSourceText, processLabel } from './labels';

const makeProcess = (o: Partial<Process> = {}): Process => ({
  id: 'nova-compute:4242@10.0.0.7',
  oslo: true,
  binary: 'nova-compute',
  pid: 4242,
  host: 'node-17',
  hostSource: 'server-queue',
  peerHost: '10.0.0.7',
  user: 'nova',
  vhosts: ['/'],
  connections: [],
  consumes: [],
  replyQueues: [],
  rates: null,
  connectedAt: null,
  ...o,
});

describe('processLabel', () => {
  it('names oslo processes by binary, pid and host', () => {
    expect(processLabel(makeProcess())).toBe('nova-compute:4242 @ node-17');
  });
  it('falls back to the peer address without host', () => {
    expect(processLabel(makeProcess({ host: null }))).toBe('nova-compute:4242 @ 10.0.0.7');
  });
  it('uses the id for other clients', () => {
    expect(processLabel(makeProcess({ oslo: false, binary: null, id: '1.2.3.4:5 -> 6.7.8.9:5672' }))).toBe('1.2.3.4:5 -> 6.7.8.9:5672');
  });
});

describe('processMatches / hostSourceText', () => {
  it('matches any visible field', () => {
    expect(processMatches(makeProcess(), 'NODE-17')).toBe(true);
    expect(processMatches(makeProcess(), '4242')).toBe(true);
    expect(processMatches(makeProcess(), 'neutron')).toBe(false);
    expect(processMatches(makeProcess(), '  ')).toBe(true);
  });
  it('explains the host source', () => {
    expect(hostSourceText('server-queue')).toMatch(/per-server queue/);
    expect(hostSourceText(null)).toMatch(/unknown/);
  });
});
