import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import {
  buildCall,
  buildCast,
  buildDispatcherFailure,
  buildNotification,
  buildReply,
  decodeEnvelope,
  decodeFailure,
  decodeNotification,
  decodeReply,
  decodeRequest,
  encodeEnvelope,
  encodeFailure,
  formatOsloTimestamp,
  isNotification,
  isReply,
  makeContext,
  OsloDecodeError,
  publishProperties,
  pyJsonDumps,
  redactContext,
  versionIsCompatible,
  type JsonObject,
} from './envelope';

const FIXTURES = path.resolve(__dirname, '../../../shared/fixtures/oslo-wire');

const CaptureSchema = z.object({
  exchange: z.string(),
  routing_key: z.string(),
  mandatory: z.boolean(),
  content_type: z.string(),
  content_encoding: z.string(),
  properties: z.object({ delivery_mode: z.number(), expiration: z.string().optional() }),
  body: z.string(),
});
type Capture = z.infer<typeof CaptureSchema>;

function load(file: string): Capture[] {
  return z.array(CaptureSchema).parse(JSON.parse(readFileSync(path.join(FIXTURES, file), 'utf8')));
}

const FILES = ['wire-default.json', 'wire-quorum-queue-manager.json', 'wire-stream-fanout.json'] as const;

describe.each(FILES)('captured %s', (file) => {
  const captures = load(file);
  const inners = captures.map((c) => ({ capture: c, inner: decodeEnvelope(c.body) }));
  const requests = inners.filter(({ inner }) => typeof inner.method === 'string');
  const replies = inners.filter(({ inner }) => isReply(inner));
  const notifications = inners.filter(({ inner }) => isNotification(inner));

  it('holds 5 calls, 1 cast, 1 fanout, 4 replies and 4 notifications', () => {
    expect(captures).toHaveLength(14);
    expect(requests.map(({ inner }) => decodeRequest(inner).kind)).toEqual(['call', 'call', 'call', 'call', 'cast', 'cast']);
    expect(replies).toHaveLength(4);
    expect(notifications).toHaveLength(4);
  });

  it('re-encodes every body byte for byte (envelope and inner JSON as Python writes them)', () => {
    for (const { capture, inner } of inners) expect(encodeEnvelope(inner)).toBe(capture.body);
  });

  it('carries the oslo AMQP properties: expiration on calls only', () => {
    for (const { capture, inner } of inners) {
      const kind = typeof inner.method === 'string' ? decodeRequest(inner).kind : isReply(inner) ? 'reply' : 'notification';
      const props = publishProperties(kind, kind === 'call' ? Number(capture.properties.expiration) : undefined);
      expect(capture.content_type).toBe(props.contentType);
      expect(capture.content_encoding).toBe(props.contentEncoding);
      expect(capture.properties.delivery_mode).toBe(props.deliveryMode);
      expect(capture.properties.expiration).toBe(props.expiration);
    }
  });

  it('decodes the ping call like nova base API probes it', () => {
    const first = requests[0];
    expect(first).toBeDefined();
    const req = decodeRequest(first!.inner);
    expect(first!.capture.routing_key).toBe('compute.host1');
    expect(req).toMatchObject({
      kind: 'call',
      method: 'ping',
      namespace: 'baseapi',
      version: '1.1',
      timeout: null,
      args: { arg: null },
    });
    expect(req.msgId).toMatch(/^[0-9a-f]{32}$/);
    expect(req.replyQueue).toMatch(/^reply_/);
    expect(req.context.request_id).toBe('req-11111111-2222-3333-4444-555555555555');
    expect(Object.keys(req.context).some((k) => k.startsWith('_context_'))).toBe(false);
    // every call's reply comes back to its _reply_q, on the default exchange, mandatory, matched by _msg_id
    for (const r of requests.filter(({ inner }) => decodeRequest(inner).kind === 'call')) {
      const call = decodeRequest(r.inner);
      const reply = replies.find(({ inner }) => decodeReply(inner).msgId === call.msgId);
      expect(reply?.capture.exchange).toBe('');
      expect(reply?.capture.routing_key).toBe(call.replyQueue);
      expect(reply?.capture.mandatory).toBe(true);
    }
  });

  it('decodes the casts: no _msg_id, no _reply_q; the fanout goes to compute_fanout with an empty key', () => {
    const casts = requests.map((r) => ({ ...r, req: decodeRequest(r.inner) })).filter((r) => r.req.kind === 'cast');
    expect(casts.map((c) => [c.capture.exchange, c.capture.routing_key])).toEqual([
      ['nova', 'compute'],
      ['compute_fanout', ''],
    ]);
    for (const c of casts) {
      expect(c.req.msgId).toBeNull();
      expect(c.req.replyQueue).toBeNull();
      expect('_timeout' in c.inner).toBe(false);
    }
  });

  it('decodes replies: result of ping, UnsupportedVersion and NoSuchMethod failures', () => {
    const decoded = replies.map(({ inner }) => decodeReply(inner));
    expect(decoded[0]).toMatchObject({ result: { service: 'compute', arg: null }, failure: null, ending: true });
    expect(decoded[1]?.failure).toEqual({
      className: 'UnsupportedVersion',
      module: 'oslo_messaging.rpc.dispatcher',
      message: 'Endpoint does not support RPC version 1.0. Attempted method: pod_health_probe_method_ignore_errors',
    });
    expect(decoded[2]?.failure).toEqual({
      className: 'NoSuchMethod',
      module: 'oslo_messaging.rpc.dispatcher',
      message: 'Endpoint does not support RPC method no_such_method_ignore_errors',
    });
    expect(decoded[3]).toMatchObject({ result: 42, failure: null });
  });

  it('builds the same failures the real dispatcher sent (class, module, message, args, kwargs)', () => {
    const raw = replies.map(({ inner }) => inner.failure).filter((f): f is string => typeof f === 'string');
    expect(raw).toHaveLength(2);
    const [unsupported, noSuch] = raw.map((f) => JSON.parse(f) as JsonObject);
    const ours = [
      buildDispatcherFailure('UnsupportedVersion', { method: 'pod_health_probe_method_ignore_errors', version: null }),
      buildDispatcherFailure('NoSuchMethod', { method: 'no_such_method_ignore_errors', version: '6.0' }),
    ].map((f) => JSON.parse(encodeFailure(f)) as JsonObject);
    for (const [theirs, mine] of [
      [unsupported, ours[0]],
      [noSuch, ours[1]],
    ] as const) {
      expect(Object.keys(mine!)).toEqual(Object.keys(theirs!));
      expect({ ...mine, tb: null }).toEqual({ ...theirs, tb: null });
      expect((mine!.tb as string[]).at(-1)).toBe((theirs!.tb as string[]).at(-1));
    }
  });

  it('decodes the notifications: upper-case priority, routing key <topic>.<priority>', () => {
    const decoded = notifications.map(({ capture, inner }) => ({ key: capture.routing_key, n: decodeNotification(inner) }));
    expect(decoded.map((d) => d.key)).toEqual([
      'notifications.info',
      'versioned_notifications.info',
      'notifications.error',
      'versioned_notifications.error',
    ]);
    for (const { key, n } of decoded) {
      expect(n.priority).toBe(key.split('.').at(-1)!.toUpperCase());
      expect(n.publisherId).toBe('compute.host1');
      expect(n.eventType).toMatch(/^compute\.instance\.create\./);
      expect(n.messageId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(n.timestamp).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$/);
      expect(n.payload).toEqual({ instance_id: 'abc' });
    }
  });
});

describe('building messages', () => {
  const ctx = { user: 'u1', project_id: 'p1', request_id: 'req-1', auth_token: 'gAAAA-secret' };

  it('builds a call in oslo key order, and decodes it back', () => {
    const inner = buildCall({
      method: 'ping',
      args: { arg: null },
      namespace: 'baseapi',
      version: '1.1',
      replyQueue: 'reply_0123456789abcdef0123456789abcdef',
      context: ctx,
    });
    expect(Object.keys(inner)).toEqual([
      'method',
      'args',
      'namespace',
      'version',
      '_msg_id',
      '_reply_q',
      '_timeout',
      '_unique_id',
      '_context_user',
      '_context_project_id',
      '_context_request_id',
      '_context_auth_token',
    ]);
    expect(inner._msg_id).toMatch(/^[0-9a-f]{32}$/);
    expect(inner._timeout).toBeNull();
    const req = decodeRequest(decodeEnvelope(encodeEnvelope(inner)));
    expect(req).toMatchObject({ kind: 'call', method: 'ping', namespace: 'baseapi', version: '1.1', msgId: inner._msg_id });
    expect(req.context).toEqual({ ...ctx, auth_token: '***' });
    expect(decodeRequest(inner, { redact: false }).context.auth_token).toBe('gAAAA-secret');
  });

  it('builds a cast without call fields and without namespace/version when absent', () => {
    const inner = buildCast({ method: 'build_and_run_instance', args: { x: 1 }, context: { request_id: 'r' } });
    expect(Object.keys(inner)).toEqual(['method', 'args', '_unique_id', '_context_request_id']);
    expect(decodeRequest(inner)).toMatchObject({ kind: 'cast', namespace: null, version: null, msgId: null, replyQueue: null });
  });

  it('builds replies with results or failures that decode back', () => {
    const ok = buildReply({ msgId: 'a'.repeat(32), result: { service: 'compute', arg: 7 } });
    expect(Object.keys(ok)).toEqual(['result', 'failure', 'ending', '_msg_id', '_unique_id']);
    expect(decodeReply(decodeEnvelope(encodeEnvelope(ok)))).toMatchObject({ result: { service: 'compute', arg: 7 }, failure: null, ending: true });
    const failed = buildReply({ msgId: 'b'.repeat(32), failure: buildDispatcherFailure('UnsupportedVersion', { method: 'm', version: '9.0' }) });
    expect(typeof failed.failure).toBe('string');
    expect(decodeReply(failed).failure).toEqual({
      className: 'UnsupportedVersion',
      module: 'oslo_messaging.rpc.dispatcher',
      message: 'Endpoint does not support RPC version 9.0. Attempted method: m',
    });
    expect(decodeReply(buildReply({ msgId: 'c'.repeat(32), ending: false })).ending).toBe(false);
  });

  it('builds a notification with an upper-case priority and oslo timestamp', () => {
    const n = buildNotification({
      publisherId: 'compute.node-1',
      eventType: 'compute.instance.update',
      priority: 'info',
      payload: { a: 1 },
      timestamp: new Date(Date.UTC(2026, 10, 22, 2, 4, 59, 45)),
      context: { request_id: 'r' },
    });
    expect(Object.keys(n)).toEqual(['message_id', 'publisher_id', 'event_type', 'priority', 'payload', 'timestamp', '_unique_id', '_context_request_id']);
    expect(n.priority).toBe('INFO');
    expect(n.timestamp).toBe('2026-11-22 02:04:59.045000');
    expect(decodeNotification(n).context).toEqual({ request_id: 'r' });
  });

  it('sets expiration on calls only', () => {
    expect(publishProperties('call', 30_000)).toEqual({ contentType: 'application/json', contentEncoding: 'utf-8', deliveryMode: 2, expiration: '30000' });
    for (const kind of ['cast', 'fanout', 'reply', 'notification'] as const) expect(publishProperties(kind, 30_000).expiration).toBeUndefined();
  });

  it('makes a context shaped like oslo.context', () => {
    const c = makeContext({ user: 'u', project_id: 'p' });
    expect(c.user_identity).toBe('u p - - -');
    expect(c.request_id).toMatch(/^req-[0-9a-f-]{36}$/);
    expect(c.auth_token).toBeNull();
    expect(redactContext(c).auth_token).toBeNull();
  });
});

describe('json like Python', () => {
  it('uses Python separators and ensure_ascii', () => {
    expect(pyJsonDumps({ a: [1, 'é', null], b: { c: true } })).toBe('{"a": [1, "\\u00e9", null], "b": {"c": true}}');
    expect(pyJsonDumps('tab\there "q" \\')).toBe('"tab\\there \\"q\\" \\\\"');
    expect(pyJsonDumps('😀')).toBe('"\\ud83d\\ude00"');
    expect(JSON.parse(pyJsonDumps({ s: 'ünïcødé 😀\u0001' }))).toEqual({ s: 'ünïcødé 😀\u0001' });
  });

  it('formats timestamps with microseconds', () => {
    expect(formatOsloTimestamp(new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)))).toBe('2026-01-02 03:04:05.006000');
  });
});

describe('decoding garbage', () => {
  it('rejects what is not an oslo 2.0 envelope', () => {
    expect(() => decodeEnvelope('not json')).toThrow(OsloDecodeError);
    expect(() => decodeEnvelope('{"method": "x"}')).toThrow(OsloDecodeError);
    expect(() => decodeEnvelope('{"oslo.version": "1.0", "oslo.message": "{}"}')).toThrow(/unsupported oslo.version/);
    expect(() => decodeEnvelope('{"oslo.version": "2.0", "oslo.message": "[1]"}')).toThrow(OsloDecodeError);
    expect(() => decodeRequest({ args: {} })).toThrow(OsloDecodeError);
    expect(() => decodeFailure('{"message": "x"}')).toThrow(OsloDecodeError);
  });

  it('accepts a body as bytes', () => {
    const body = encodeEnvelope(buildCast({ method: 'm' }));
    expect(decodeRequest(decodeEnvelope(new TextEncoder().encode(body))).method).toBe('m');
  });
});

describe('version compatibility (oslo version_is_compatible)', () => {
  it.each([
    ['1.1', '1.0', true],
    ['1.1', '1.1', true],
    ['1.1', '1.2', false],
    ['6.0', '1.0', false],
    ['6.2', '6.0', true],
    ['2.0', '1.9', false],
    ['1.1.0', '1.1.1', false],
    ['1.2', '1.1.5', true],
  ])('implemented %s, requested %s → %s', (imp, req, ok) => {
    expect(versionIsCompatible(imp, req)).toBe(ok);
  });
});
