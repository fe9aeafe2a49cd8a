import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildCall, buildCast, buildNotification, encodeEnvelope, makeContext, pyJsonDumps } from '@/lib/oslo/envelope';
import { readFixture } from '@/lib/testing/fixtures';
import {
  countByMethod,
  decodeBacklog,
  decodeBacklogMessage,
  isSecretKey,
  looksLikeSecret,
  PAYLOAD_MAX_CHARS,
  peekRefusal,
  redactText,
  redactValue,
  type RawBacklogMessage,
} from './backlog';

const WireMessage = z.object({
  exchange: z.string(),
  routing_key: z.string(),
  content_type: z.string().nullable(),
  properties: z.object({ delivery_mode: z.number().optional(), expiration: z.string().optional() }),
  body: z.string(),
});

function wire(file: string): RawBacklogMessage[] {
  return z
    .array(WireMessage)
    .parse(readFixture(file))
    .map((m) => ({
      payload: m.body,
      payloadEncoding: 'string' as const,
      payloadBytes: Buffer.byteLength(m.body),
      redelivered: false,
      exchange: m.exchange,
      routingKey: m.routing_key,
      properties: { contentType: m.content_type, expiration: m.properties.expiration ?? null, deliveryMode: m.properties.delivery_mode ?? null },
    }));
}

function raw(body: string | Buffer, overrides: Partial<RawBacklogMessage> = {}): RawBacklogMessage {
  const isBuffer = Buffer.isBuffer(body);
  return {
    payload: isBuffer ? body.toString('base64') : body,
    payloadEncoding: isBuffer ? 'base64' : 'string',
    payloadBytes: isBuffer ? body.length : Buffer.byteLength(body),
    redelivered: true,
    exchange: 'nova',
    routingKey: 'compute.node-1',
    properties: { contentType: 'application/json', expiration: null, deliveryMode: 2 },
    ...overrides,
  };
}

const FERNET = 'gAAAAABl3xq9Zb1c0xZ5m8Yh2b9x7cP0s8JmF4lQ0kYd9Vh3n2Jt6ZrWq1uE5oR7tA9sD3fG6hJ8kL0zX2cV4bN6mM8qW0eR2tY4uI6oP8aS0dF2gH4jK6lZ8xC0vB2nM4';
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZG1pbiIsImV4cCI6MTcwMDAwMDAwMH0.c2lnbmF0dXJlLXBhcnQtb2YtdGhlLWp3dA';

describe('the captured oslo.messaging traffic', () => {
  for (const file of ['wire-default.json', 'wire-quorum-queue-manager.json', 'wire-stream-fanout.json']) {
    it(`decodes every message of ${file}: calls, casts, replies, notifications`, () => {
      const { messages } = decodeBacklog(wire(file));
      expect(messages).toHaveLength(14);
      expect(messages.every((m) => m.kind !== 'unknown')).toBe(true);
      expect(messages.map((m) => m.position)).toEqual([...Array(14).keys()].map((i) => i + 1));

      const ping = messages[0]!;
      expect(ping).toMatchObject({
        kind: 'call',
        method: 'ping',
        namespace: 'baseapi',
        version: '1.1',
        timeout: null,
        routingKey: 'compute.host1',
        exchange: 'nova',
        properties: { expiration: '10000', deliveryMode: 2, contentType: 'application/json' },
        context: { requestId: 'req-11111111-2222-3333-4444-555555555555', globalRequestId: null, user: 'u1', project: 'p1' },
      });
      expect(ping.msgId).toMatch(/^[0-9a-f]{32}$/);
      expect(ping.replyQueue).toMatch(/^reply_/);
      expect(JSON.parse(ping.payload)).toEqual({ arg: null });

      const reply = messages[1]!;
      expect(reply).toMatchObject({ kind: 'reply', msgId: ping.msgId, method: null });
      expect(JSON.parse(reply.payload)).toMatchObject({ result: { service: 'compute', arg: null }, failure: null });

      const failures = messages.filter((m) => m.kind === 'reply').map((m) => (JSON.parse(m.payload) as { failure: { class: string } | null }).failure?.class);
      expect(failures).toEqual(expect.arrayContaining(['UnsupportedVersion', 'NoSuchMethod']));

      const casts = messages.filter((m) => m.kind === 'cast');
      expect(casts.map((m) => m.method)).toEqual(['do_thing', 'do_thing']);
      expect(casts.every((m) => m.msgId === null && m.replyQueue === null)).toBe(true);

      const notifications = messages.filter((m) => m.kind === 'notification');
      expect(notifications).toHaveLength(4);
      expect(notifications[0]?.eventType).toEqual(expect.any(String));
      expect(notifications[0]?.method).toBeNull();
    });
  }

  it('replies with queue-manager names keep their reply queue', () => {
    const { messages } = decodeBacklog(wire('wire-quorum-queue-manager.json'));
    expect(messages[0]?.replyQueue).toBe('reply_node1.example.com:nova-compute:2');
  });

  it('counts what was read per method, most frequent first', () => {
    const { byMethod } = decodeBacklog(wire('wire-default.json'));
    expect(byMethod[0]).toEqual({ method: '(reply)', count: 4 });
    expect(byMethod).toContainEqual({ method: 'do_thing', count: 3 });
    expect(byMethod).toContainEqual({ method: 'ping', count: 1 });
    expect(byMethod.reduce((n, m) => n + m.count, 0)).toBe(14);
  });
});

describe('redaction', () => {
  it('treats password, token, secret, credential and key names as secret in any spelling', () => {
    for (const k of ['password', 'admin_password', 'Password', 'adminPass', 'passwd', 'auth_token', 'X-Auth-Token', 'authToken', 'service_token', 'secret', 'client_secret', 'credentials', 'credential_id', 'key', 'api_key', 'apiKey', 'ssh-key', 'encryption.key', 'private_key', 'session_cookie']) {
      expect(isSecretKey(k), k).toBe(true);
    }
    for (const k of ['instance_uuid', 'host', 'method', 'request_id', 'user', 'project_id', 'monkey', 'keyboard_layout', 'passport_country']) {
      expect(isSecretKey(k), k).toBe(false);
    }
  });

  it('recognises token-looking values whatever their key', () => {
    for (const v of [FERNET, JWT, 'Bearer abcdefgh12345678', `MII${'A1b2'.repeat(40)}`, 'a3f9'.repeat(12), 'QWxhZGRpbjpvcGVuIHNlc2FtZQ0KQWxhZGRpbjpvcGVu==']) {
      expect(looksLikeSecret(v), v).toBe(true);
    }
    for (const v of ['req-11111111-2222-3333-4444-555555555555', '8e481d64f4a245fa9b7c9f70c90dc6ff', 'compute.node-1', 'an ordinary sentence with words', 'reply_6ce201d022984b21882cc3e0cb6ae581']) {
      expect(looksLikeSecret(v), v).toBe(false);
    }
  });

  it('replaces nested secrets recursively and leaves the rest', () => {
    const out = redactValue({
      instance: { uuid: 'abc', admin_password: 'hunter2', metadata: { nested: [{ PASSWORD: 'x' }, { db_password: null }] } },
      connection_info: { data: { auth_password: 'p', auth_username: 'u', access_key: 'AKIA' } },
      transport_url: 'rabbit://nova:s3cr3t@10.0.0.1:5672/',
      blob: FERNET,
      list: ['fine', JWT],
      empty_secret: '',
    });
    expect(out).toEqual({
      instance: { uuid: 'abc', admin_password: '***', metadata: { nested: [{ PASSWORD: '***' }, { db_password: null }] } },
      connection_info: { data: { auth_password: '***', auth_username: 'u', access_key: '***' } },
      transport_url: 'rabbit://nova:***@10.0.0.1:5672/',
      blob: '***',
      list: ['fine', '***'],
      empty_secret: '',
    });
  });

  it('cuts tokens out of text that is not JSON', () => {
    const text = redactText(`X-Auth-Token: ${FERNET} password=hunter2 url=amqp://u:pw@h/ Authorization: Bearer abcdefghijkl`);
    expect(text).not.toContain('gAAAAAB');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain(':pw@');
    expect(text).not.toContain('abcdefghijkl');
  });
});

describe('decoding hostile backlog messages', () => {
  const secretContext = makeContext({
    user: 'alice',
    project_id: 'proj-1',
    request_id: 'req-aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
    global_request_id: 'req-99999999-bbbb-4ccc-8ddd-eeeeeeeeeeee',
    auth_token: FERNET,
    service_token: 'some-service-token-value',
  });

  it('a call with a live token in its context and passwords in its arguments shows neither', () => {
    const call = buildCall({
      method: 'rebuild_instance',
      args: { instance: { uuid: 'i-1' }, new_pass: 'hunter2', injected_files: [{ path: '/x', contents: JWT }], bdms: { token: 'abc' } },
      namespace: null,
      version: '6.0',
      replyQueue: 'reply_0123456789abcdef0123456789abcdef',
      context: secretContext,
    });
    const m = decodeBacklogMessage(raw(encodeEnvelope(call)), 1);
    const all = JSON.stringify(m);
    for (const secret of [FERNET, 'hunter2', JWT, 'some-service-token-value', '"abc"']) expect(all).not.toContain(secret);
    expect(m).toMatchObject({
      kind: 'call',
      method: 'rebuild_instance',
      version: '6.0',
      replyQueue: 'reply_0123456789abcdef0123456789abcdef',
      redelivered: true,
      context: { user: 'alice', project: 'proj-1', requestId: 'req-aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee', globalRequestId: 'req-99999999-bbbb-4ccc-8ddd-eeeeeeeeeeee' },
    });
    expect(JSON.parse(m.payload)).toMatchObject({ instance: { uuid: 'i-1' }, new_pass: '***', bdms: { token: '***' } });
  });

  it('a notification payload is redacted the same way', () => {
    const n = buildNotification({ publisherId: 'compute.node-1', eventType: 'compute.instance.create.end', priority: 'info', payload: { nova_object: { data: { key_data: 'ssh-rsa AAAA', password: 'p' } } }, context: secretContext });
    const m = decodeBacklogMessage(raw(encodeEnvelope(n), { routingKey: 'notifications.info' }), 3);
    expect(m).toMatchObject({ kind: 'notification', eventType: 'compute.instance.create.end', position: 3, context: { user: 'alice' } });
    expect(JSON.stringify(m)).not.toContain(FERNET);
    expect(JSON.parse(m.payload)).toEqual({ nova_object: { data: { key_data: '***', password: '***' } } });
  });

  it('a body that is not JSON is shown as text with tokens cut out', () => {
    const m = decodeBacklogMessage(raw(`hello token=${FERNET} end`, { properties: { contentType: 'text/plain', expiration: null, deliveryMode: 1 } }), 1);
    expect(m.kind).toBe('unknown');
    expect(m.method).toBeNull();
    expect(m.payload).toContain('hello');
    expect(m.payload).not.toContain('gAAAAAB');
  });

  it('JSON that is no oslo message is shown redacted', () => {
    const m = decodeBacklogMessage(raw(JSON.stringify({ password: 'x', a: 1 })), 1);
    expect(m.kind).toBe('unknown');
    expect(JSON.parse(m.payload)).toEqual({ password: '***', a: 1 });
  });

  it('a broken envelope is unknown, not an error', () => {
    const m = decodeBacklogMessage(raw('{"oslo.version": "2.0", "oslo.message": "{not json"}'), 1);
    expect(m.kind).toBe('unknown');
  });

  it('a base64 body (the broker sends non-UTF-8 bodies so) is decoded when it is text, described when binary', () => {
    const cast = buildCast({ method: 'update_device_up', args: { device: 'd1', secret: 's' }, version: '1.9', context: secretContext });
    const text = decodeBacklogMessage(raw(Buffer.from(encodeEnvelope(cast), 'utf8')), 1);
    expect(text).toMatchObject({ kind: 'cast', method: 'update_device_up', msgId: null });
    expect(JSON.parse(text.payload)).toEqual({ device: 'd1', secret: '***' });
    const binary = decodeBacklogMessage(raw(Buffer.from([0xff, 0xfe, 0x00, 0x80, 0x81])), 2);
    expect(binary).toMatchObject({ kind: 'unknown', payload: '(binary body, 5 bytes)' });
  });

  it('an un-enveloped request (oslo before 2.0) is still read', () => {
    const m = decodeBacklogMessage(raw(pyJsonDumps(buildCast({ method: 'old_style', args: {} }))), 1);
    expect(m).toMatchObject({ kind: 'cast', method: 'old_style' });
  });

  it('truncates large payloads and says so; a body the broker truncated is flagged too', () => {
    const big = buildCast({ method: 'big', args: { blob: 'x '.repeat(10_000) } });
    const m = decodeBacklogMessage(raw(encodeEnvelope(big)), 1);
    expect(m.payload.length).toBe(PAYLOAD_MAX_CHARS);
    expect(m.payloadTruncated).toBe(true);
    const cut = decodeBacklogMessage(raw('{"oslo.version": "2.0", "oslo.m', { payloadBytes: 80_000 }), 1);
    expect(cut).toMatchObject({ kind: 'unknown', payloadTruncated: true });
  });

  it('counts unknown bodies and notifications under readable labels', () => {
    expect(countByMethod([{ kind: 'unknown', method: null, eventType: null }, { kind: 'notification', method: null, eventType: 'a.b' }, { kind: 'cast', method: 'm', eventType: null }, { kind: 'cast', method: 'm', eventType: null }])).toEqual([
      { method: 'm', count: 2 },
      { method: '(not an oslo message)', count: 1 },
      { method: 'a.b', count: 1 },
    ]);
  });
});

describe('when a backlog may be read', () => {
  const ok = { allowQuorum: false, queueType: 'classic', count: 5 };
  it('with 1 to 10 messages', () => {
    expect(peekRefusal(ok)).toBeNull();
    expect(peekRefusal({ ...ok, count: 11 })?.reason).toBe('bad-count');
    expect(peekRefusal({ ...ok, count: 0 })?.reason).toBe('bad-count');
  });
  it('quorum queues only when allowed, saying why; never a stream', () => {
    expect(peekRefusal({ ...ok, queueType: 'quorum' })).toMatchObject({ reason: 'quorum', message: expect.stringContaining('delivery-limit') });
    expect(peekRefusal({ ...ok, queueType: 'quorum', allowQuorum: true })).toBeNull();
    expect(peekRefusal({ ...ok, queueType: 'stream', allowQuorum: true })?.reason).toBe('stream');
  });
});
