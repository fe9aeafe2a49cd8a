import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emptyInputs, makeBinding, makeExchange, makeQueue } from '../testing/builders';
import { routeMessage, topicMatches } from './routing';
import { buildTopology } from './topology';

describe('topicMatches', () => {
  it.each([
    ['compute.host1', 'compute.host1', true],
    ['compute.*', 'compute.host1', true],
    ['compute.*', 'compute', false],
    ['compute.*', 'compute.a.b', false],
    ['compute.#', 'compute', true],
    ['compute.#', 'compute.a.b', true],
    ['#', '', true],
    ['#', 'a.b.c', true],
    ['*', '', false],
    ['', '', true],
    ['', 'a', false],
    ['a.*.c', 'a..c', true],
    ['#.c', 'a.b.c', true],
    ['a.#.c', 'a.c', true],
    ['a.#.#.c', 'a.x.c', true],
    ['*.#', '', false],
    ['a#', 'ab', false],
    ['notifications.info', 'notifications.error', false],
  ])('%j against %j: %s', (pattern, key, expected) => {
    expect(topicMatches(pattern, key)).toBe(expected);
  });

  const word = fc.stringMatching(/^[a-z0-9_-]{0,6}$/);
  const key = fc.array(word, { maxLength: 6 }).map((w) => w.join('.'));

  it('a key without wildcards matches exactly itself; `#` matches everything', () => {
    fc.assert(
      fc.property(key, key, (a, b) => {
        expect(topicMatches(a, b)).toBe(a === b);
        expect(topicMatches('#', a)).toBe(true);
      }),
    );
  });

  it('replacing any word of a key by `*`, or any run of words by `#`, still matches it', () => {
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 6 }), fc.nat(), fc.nat(), (w, i, n) => {
        fc.pre(w.join('.') !== ''); // the empty key has no words at all
        const at = i % w.length;
        const star = [...w];
        star[at] = '*';
        expect(topicMatches(star.join('.'), w.join('.'))).toBe(true);
        const hash = [...w.slice(0, at), '#', ...w.slice(at + (n % (w.length - at + 1)))];
        expect(topicMatches(hash.join('.'), w.join('.'))).toBe(true);
      }),
    );
  });
});

describe('routeMessage', () => {
  const topology = buildTopology(
    emptyInputs({
      exchanges: [
        makeExchange({ name: 'nova', type: 'topic' }),
        makeExchange({ name: 'compute_fanout', type: 'fanout' }),
        makeExchange({ name: 'reply_abc', type: 'direct' }),
        makeExchange({ name: 'unrouted', type: 'topic', arguments: { 'alternate-exchange': 'catch-all' } }),
        makeExchange({ name: 'catch-all', type: 'fanout' }),
        makeExchange({ name: 'hop', type: 'topic' }),
        makeExchange({ name: 'by-headers', type: 'headers' }),
      ],
      queues: ['compute', 'compute.host1', 'compute_fanout_1', 'compute_fanout_2', 'reply_abc', 'notifications.info', 'lost'].map((name) => makeQueue({ name })),
      bindings: [
        makeBinding('nova', 'compute', 'compute'),
        makeBinding('nova', 'compute.host1', 'compute.host1'),
        makeBinding('nova', 'notifications.info', 'notifications.#'),
        makeBinding('nova', 'compute.host1', 'compute.*'),
        makeBinding('compute_fanout', 'compute_fanout_1', 'compute'),
        makeBinding('compute_fanout', 'compute_fanout_2', 'compute'),
        makeBinding('reply_abc', 'reply_abc', 'reply_abc'),
        makeBinding('catch-all', 'lost', ''),
        { vhost: '/', source: 'hop', destination: 'nova', destinationType: 'exchange', routingKey: '#' },
        { vhost: '/', source: 'nova', destination: 'hop', destinationType: 'exchange', routingKey: 'loop.#' },
      ],
    }),
  );
  const names = (exchange: string, key: string) => routeMessage(topology, '/', exchange, key)?.queues.map((q) => q.name);

  it('follows topic bindings and delivers one copy per queue however many bindings match', () => {
    expect(names('nova', 'compute.host1')).toEqual(['compute.host1']);
    expect(names('nova', 'compute')).toEqual(['compute']);
    expect(names('nova', 'notifications.info')).toEqual(['notifications.info']);
    expect(routeMessage(topology, '/', 'nova', 'compute.host1')?.matched).toHaveLength(2);
  });

  it('fanout ignores the key; direct wants it exactly; the default exchange knows every queue by name', () => {
    expect(names('compute_fanout', 'anything')).toEqual(['compute_fanout_1', 'compute_fanout_2']);
    expect(names('reply_abc', 'reply_abc')).toEqual(['reply_abc']);
    expect(names('reply_abc', 'reply_ab')).toEqual([]);
    expect(names('', 'compute.host1')).toEqual(['compute.host1']);
    expect(names('', 'no-such-queue')).toEqual([]);
  });

  it('goes through exchange-to-exchange bindings without looping, and to the alternate exchange when nothing matched', () => {
    const viaHop = routeMessage(topology, '/', 'hop', 'compute.host1');
    expect(viaHop?.queues).toEqual([{ vhost: '/', name: 'compute.host1', through: ['hop', 'nova'], bindingKey: 'compute.host1' }]);
    expect(routeMessage(topology, '/', 'nova', 'loop.x')?.exchanges).toEqual(['nova', 'hop']);
    const lost = routeMessage(topology, '/', 'unrouted', 'x');
    expect(lost?.queues.map((q) => q.name)).toEqual(['lost']);
    expect(lost?.notes.join()).toMatch(/alternate exchange catch-all/);
  });

  it('says what it cannot compute, and when the message would be dropped', () => {
    expect(routeMessage(topology, '/', 'by-headers', 'x')?.notes.join()).toMatch(/headers exchange/);
    expect(routeMessage(topology, '/', 'nova', 'nobody.listens')?.notes.join()).toMatch(/no queue: the broker drops this message/);
    expect(routeMessage(topology, '/', 'no-such-exchange', 'x')).toBeNull();
    expect(routeMessage(topology, 'other', 'nova', 'compute')).toBeNull();
  });
});
