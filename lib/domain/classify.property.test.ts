// Properties of the name classifier over arbitrary names and topologies: it never
// throws, classifies everything it is given, and keeps oslo's names apart whatever
// else shares the vhost.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyVhost, isBuiltinExchange, parseFanoutQueueName, parseReplyName } from './classify';
import { parseOsloConnectionName } from './process';
import type { BindingInput, ExchangeInput, QueueInput } from './types';

const name = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom('', 'nova', 'compute', 'compute.node-1', 'amq.topic', 'compute_fanout', 'notifications.info', 'reply_', 'a.b.c', '#', '*', '%2F', 'a/b'),
);
const hex32 = fc.stringMatching(/^[0-9a-f]{32}$/);
const exchangeType = fc.constantFrom('topic', 'fanout', 'direct', 'headers', 'x-consistent-hash');

const exchange = fc.record({ name, type: exchangeType }).map(
  ({ name, type }): ExchangeInput => ({ vhost: '/', name, type, durable: false, autoDelete: false, internal: false, arguments: {} }),
);
const queue = fc.record({ name, type: fc.constantFrom('classic', 'quorum', 'stream') }).map(
  ({ name, type }): QueueInput => ({
    vhost: '/',
    name,
    type,
    durable: false,
    autoDelete: false,
    exclusive: false,
    arguments: {},
    node: null,
    state: null,
    messagesReady: null,
    messagesUnacknowledged: null,
    consumers: null,
    rates: null,
    idleSince: null,
  }),
);
const binding = fc.record({ source: name, destination: name, routingKey: name, toExchange: fc.boolean() }).map(
  ({ source, destination, routingKey, toExchange }): BindingInput => ({ vhost: '/', source, destination, routingKey, destinationType: toExchange ? 'exchange' : 'queue' }),
);
/** Queues named the oslo way, so bindings can pick up their names. */
const selfBound = fc.array(queue, { maxLength: 15 }).chain((queues) =>
  fc.record({
    queues: fc.constant(queues),
    exchanges: fc.array(exchange, { maxLength: 8 }),
    bindings: fc.array(binding, { maxLength: 15 }).map((bs) =>
      bs.concat(queues.map((q) => ({ vhost: '/', source: 'nova', destination: q.name, routingKey: q.name, destinationType: 'queue' as const }))),
    ),
  }),
);
const uniqueByName = <T extends { name: string }>(items: T[]) => [...new Map(items.map((i) => [i.name, i])).values()];

describe('classifyVhost over arbitrary topologies', () => {
  it('never throws, and classifies every queue and groups every exchange', () => {
    fc.assert(
      fc.property(selfBound, ({ queues, exchanges, bindings }) => {
        const qs = uniqueByName(queues);
        const es = uniqueByName(exchanges);
        const c = classifyVhost({ queues: qs, exchanges: es, bindings });
        expect(c.queue.size).toBe(qs.length);
        expect(c.exchangeGroup.size).toBe(es.length);
      }),
      { numRuns: 300 },
    );
  });

  it('does not depend on the order the broker lists things in', () => {
    fc.assert(
      fc.property(selfBound, fc.integer(), ({ queues, exchanges, bindings }, seed) => {
        const qs = uniqueByName(queues);
        const es = uniqueByName(exchanges);
        const shuffle = <T>(xs: T[]) => xs.map((x, i) => ({ x, k: (i * 7919 + seed) % 104729 })).sort((a, b) => a.k - b.k).map((e) => e.x);
        const a = classifyVhost({ queues: qs, exchanges: es, bindings });
        const b = classifyVhost({ queues: shuffle(qs), exchanges: shuffle(es), bindings: shuffle(bindings) });
        expect(Object.fromEntries(b.queue)).toEqual(Object.fromEntries(a.queue));
        expect(Object.fromEntries(b.exchangeGroup)).toEqual(Object.fromEntries(a.exchangeGroup));
      }),
      { numRuns: 200 },
    );
  });

  it('keeps the rules: builtin is builtin, a component is a topic exchange, reply_<hex> is a reply queue', () => {
    fc.assert(
      fc.property(selfBound, hex32, ({ queues, exchanges, bindings }, hex) => {
        const reply = { ...queues[0]!, name: `reply_${hex}` } as QueueInput;
        const qs = uniqueByName([...queues, ...(queues.length > 0 ? [reply] : [])]);
        const es = uniqueByName(exchanges);
        const c = classifyVhost({ queues: qs, exchanges: es, bindings });
        for (const e of es) {
          const g = c.exchangeGroup.get(e.name)!;
          if (isBuiltinExchange(e.name)) expect(g.group).toBe('builtin');
          if (g.group === 'component') expect(e.type).toBe('topic');
        }
        if (queues.length > 0) expect(c.queue.get(`reply_${hex}`)?.kind).toBe('reply');
        for (const [queueName, cls] of c.queue) {
          if (cls.kind === 'rpc-server') expect(queueName.startsWith(`${cls.topic}.`)).toBe(true);
          if (cls.kind === 'rpc-topic') expect(cls.topic).toBe(queueName);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('oslo names round-trip', () => {
  it('fanout queues: <topic>_fanout_<hex> gives the topic back, whatever the topic holds', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 60 }), hex32, (topic, hex) => {
        expect(parseFanoutQueueName(`${topic}_fanout_${hex}`)?.topic).toBe(topic);
      }),
    );
  });

  it('reply queues: reply_<hex>; anything else without the prefix is not one', () => {
    fc.assert(
      fc.property(hex32, fc.string(), (hex, other) => {
        expect(parseReplyName(`reply_${hex}`)).toEqual({ host: null, binary: null });
        if (!other.startsWith('reply_')) expect(parseReplyName(other)).toBeNull();
      }),
    );
  });

  it('connection names: <binary>:<pid>:<uuid4> gives binary and pid back, and any string is safe to parse', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 60 }), fc.nat(4_194_304), fc.uuid({ version: 4 }), fc.string(), (binary, pid, uuid, junk) => {
        expect(parseOsloConnectionName(`${binary}:${pid}:${uuid}`)).toEqual({ binary, pid, uuid });
        expect(() => parseOsloConnectionName(junk)).not.toThrow();
      }),
    );
  });
});
