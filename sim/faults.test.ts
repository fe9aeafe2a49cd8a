import { describe, expect, it } from 'vitest';
import { DEFAULT_SLOW_DELAY_MS, parseFault } from './faults';

describe('--fault', () => {
  it('reads kind, binary, host and an optional queue (which may hold colons and @)', () => {
    expect(parseFault('not-consuming:nova-compute@compute01')).toEqual({ kind: 'not-consuming', binary: 'nova-compute', host: 'compute01', queue: null, delayMs: DEFAULT_SLOW_DELAY_MS });
    expect(parseFault('no-ack:cinder-volume@storage01:cinder-volume.storage01@lvm')).toMatchObject({ kind: 'no-ack', host: 'storage01', queue: 'cinder-volume.storage01@lvm' });
    expect(parseFault('not-consuming:ceilometer-agent-notification@controller01:notifications.info')).toMatchObject({ queue: 'notifications.info' });
    expect(parseFault('slow:nova-compute@node-1:reply_node-1:nova-compute:2')).toMatchObject({ kind: 'slow', host: 'node-1', queue: 'reply_node-1:nova-compute:2' });
    expect(parseFault('slow=500:nova-compute@node-1')).toMatchObject({ kind: 'slow', delayMs: 500 });
    expect(parseFault('kill:nova-compute@compute02')).toMatchObject({ kind: 'kill', queue: null });
  });

  it('refuses what it cannot read', () => {
    for (const bad of ['explode:nova-compute@h', 'not-consuming:nova-compute', 'not-consuming:@h', 'kill:nova-compute@h:q', 'no-ack=5:nova-compute@h', 'slow=0:nova-compute@h', 'slow=x:nova-compute@h', 'not-consuming:nova-compute@h:', 'nova-compute@h']) {
      expect(() => parseFault(bad), bad).toThrow();
    }
  });
});
