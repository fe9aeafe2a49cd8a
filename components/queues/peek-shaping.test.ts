import { describe, expect, it } from 'vitest';
import type { PeekedMessage } from '@/lib/api/schemas';
import { peekBlocked, peekCount, peekRow, timeoutText } from './peek-shaping';

const makeMessage = (o: Partial<PeekedMessage> = {}): PeekedMessage => ({
  position: 1,
  redelivered: true,
  routingKey: 'compute.node-1',
  exchange: 'nova',
  properties: { contentType: 'application/json', expiration: '60000', deliveryMode: 1 },
  kind: 'call',
  method: 'build_and_run_instance',
  namespace: null,
  version: '6.0',
  msgId: 'abc',
  replyQueue: 'reply_123',
  timeout: null,
  eventType: null,
  context: { requestId: 'req-1', globalRequestId: null, user: 'u', project: 'p' },
  payload: '{"instance": "x"}',
  payloadTruncated: false,
  ...o,
});

describe('peek shaping', () => {
  it('clamps the count to 1–10', () => {
    expect(peekCount('3')).toBe(3);
    expect(peekCount(0)).toBe(1);
    expect(peekCount('99')).toBe(10);
    expect(peekCount('x')).toBe(5);
  });
  it('a call row', () => {
    const r = peekRow(makeMessage());
    expect(r).toMatchObject({ method: 'build_and_run_instance', namespaceVersion: '(default) · 6.0', timeout: '60 s', requestId: 'req-1', replyQueue: 'reply_123' });
  });
  it('a cast and a notification', () => {
    expect(peekRow(makeMessage({ kind: 'cast', msgId: null, replyQueue: null, version: null, properties: { contentType: null, expiration: null, deliveryMode: null } }))).toMatchObject({
      namespaceVersion: '–',
      msgId: '–',
      timeout: '–',
    });
    expect(peekRow(makeMessage({ kind: 'notification', method: null, eventType: 'compute.instance.create.end' })).method).toBe('compute.instance.create.end');
  });
  it('timeout with a call monitor', () => {
    expect(timeoutText({ timeout: 30, properties: { contentType: null, expiration: '1500', deliveryMode: null } })).toBe('1.5 s · monitor 30 s');
  });
  it('says why a queue cannot be read', () => {
    const on = { enabled: true, reason: null, allowQuorum: false };
    expect(peekBlocked({ type: 'classic' }, on)).toBeNull();
    expect(peekBlocked({ type: 'classic' }, null)).toBeNull();
    expect(peekBlocked({ type: 'classic' }, { ...on, enabled: false, reason: 'off' })).toBe('off');
    expect(peekBlocked({ type: 'quorum' }, on)).toMatch(/quorum/);
    expect(peekBlocked({ type: 'quorum' }, { ...on, allowQuorum: true })).toBeNull();
    expect(peekBlocked({ type: 'stream' }, on)).toMatch(/stream/);
  });
});
