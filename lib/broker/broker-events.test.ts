// The events RabbitMQ 3.10.8's rabbitmq_event_exchange published (tests/fixtures/broker-events,
// captured off a real node: services' connections, hostile names, a raw client's non-UTF-8 bytes),
// read into typed events; and what a hostile client can put in them never makes the parser throw.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type BrokerEvent, erlangAddress, fallbackTime, MAX_PROPERTIES, MAX_TEXT, parseBrokerEvent, readTable } from './broker-events';

interface Captured {
  rk: string;
  props: { timestamp?: number };
  headers: Record<string, unknown>;
}
const captured: Captured[] = readFileSync(path.resolve(__dirname, '../../tests/fixtures/broker-events/rabbitmq-3.10.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as Captured);
const parsed = captured.map((c) => parseBrokerEvent(c.rk, c.headers, 0));
const events = parsed.filter((e): e is BrokerEvent => e !== null);
const ofType = <T extends BrokerEvent['type']>(type: T) => events.filter((e): e is Extract<BrokerEvent, { type: T }> => e.type === type);
const headersOf = (rk: string, match: (h: Record<string, unknown>) => boolean) => {
  const found = captured.find((c) => c.rk === rk && match(c.headers));
  if (!found) throw new Error(`no ${rk} in the fixture`);
  return structuredClone(found.headers);
};

/** A binary as io_lib's ~p writes it: quoted when printable latin1, else its bytes. */
const erlBinary = (s: string) => {
  const bytes = Buffer.from(s, 'utf8');
  const printable = [...bytes].every((b) => (b >= 32 && b < 127) || b >= 160 || b === 10 || b === 9);
  if (!printable) return `<<${[...bytes].join(',')}>>`;
  return `<<"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\t/g, '\\t')}">>`;
};
const prop = (key: string, value: string) => `{${erlBinary(key)},longstr,${erlBinary(value)}}`;

describe('events captured from RabbitMQ 3.10.8', () => {
  it('reads every kind we use, and none of the others', () => {
    expect(new Set(events.map((e) => e.type))).toEqual(
      new Set([
        'consumer.created',
        'consumer.deleted',
        'channel.created',
        'channel.closed',
        'connection.created',
        'connection.closed',
        'queue.created',
        'queue.deleted',
        'policy.set',
        'policy.cleared',
        'vhost.created',
        'vhost.deleted',
      ]),
    );
    const ignored = captured.filter((_, i) => parsed[i] === null).map((c) => c.rk);
    expect(new Set(ignored)).toEqual(new Set(['binding.created', 'user.authentication.success', 'vhost.down']));
  });

  it('a service connection, with its user_provided_name, peer and client properties', () => {
    expect(ofType('connection.created')[0]).toEqual({
      type: 'connection.created',
      at: 1796687984816,
      pid: '<lens-ev@localhost.1796687940.957.0>',
      name: '127.0.0.1:33958 -> 127.0.0.1:5690',
      vhost: '/',
      user: 'guest',
      node: 'lens-ev@localhost',
      peerHost: '127.0.0.1',
      peerPort: 33958,
      host: '127.0.0.1',
      port: 5690,
      userProvidedName: 'nova-compute:4242:abcd-ef',
      clientProperties: {
        product: 'py-amqp',
        connection_name: 'nova-compute:4242:abcd-ef',
        version: '2.3.1',
        platform: 'Node.JS v20.20.2',
        information: 'https://amqp-node.github.io/amqplib/',
      },
      connectedAt: 1796687984768,
      protocol: 'AMQP 0-9-1',
    });
    expect(ofType('connection.closed')[0]).toEqual({
      type: 'connection.closed',
      at: 1796687984882,
      pid: '<lens-ev@localhost.1796687940.957.0>',
      name: '127.0.0.1:33958 -> 127.0.0.1:5690',
      userProvidedName: 'nova-compute:4242:abcd-ef',
    });
  });

  it('channels, consumers and queues join on pids and names', () => {
    const [channel] = ofType('channel.created');
    expect(channel).toEqual({
      type: 'channel.created',
      at: 1796687984819,
      pid: '<lens-ev@localhost.1796687940.966.0>',
      name: '127.0.0.1:33958 -> 127.0.0.1:5690 (1)',
      connectionPid: '<lens-ev@localhost.1796687940.957.0>',
      number: 1,
      vhost: '/',
      user: 'guest',
    });
    const consumer = ofType('consumer.created').find((c) => c.queue === 'compute.hv-1')!;
    expect(consumer).toEqual({
      type: 'consumer.created',
      at: 1796687984824,
      vhost: '/',
      queue: 'compute.hv-1',
      channelPid: channel!.pid,
      consumerTag: 'amq.ctag-E4rzyB3iDOAdTcCtZ0W2GA',
      ackRequired: true,
      prefetchCount: 0,
      exclusive: false,
    });
    expect(ofType('consumer.deleted')[0]).toMatchObject({ queue: 'compute.hv-1', channelPid: channel!.pid, consumerTag: consumer.consumerTag });
    expect(ofType('channel.closed').map((c) => c.pid)).toContain(channel!.pid);
    expect(ofType('queue.created')[0]).toEqual({
      type: 'queue.created',
      at: 1796687984823,
      vhost: '/',
      name: 'compute.hv-1',
      durable: false,
      autoDelete: false,
      exclusive: false,
      arguments: { 'x-expires': 60000 },
    });
    expect(ofType('queue.deleted')[0]).toEqual({ type: 'queue.deleted', at: 1796687984868, vhost: '/', name: 'compute.hv-1' });
    expect(ofType('policy.set')).toEqual([{ type: 'policy.set', at: 1796687984856, vhost: '/', name: 'evp' }]);
    expect(ofType('policy.cleared')).toEqual([{ type: 'policy.cleared', at: 1796687984863, vhost: '/', name: 'evp' }]);
    expect(ofType('vhost.created')).toEqual([{ type: 'vhost.created', at: 1796688366685, name: 'evx-fixture' }]);
    expect(ofType('vhost.deleted')).toEqual([{ type: 'vhost.deleted', at: 1796688367135, name: 'evx-fixture' }]);
  });

  it('hostile names as the broker really sent them: quotes, >>, },{, newlines; UTF-8 as bytes; bytes that are not UTF-8', () => {
    const names = ofType('connection.created').map((c) => [c.userProvidedName, c.clientProperties.connection_name]);
    expect(names).toContainEqual(['q"uo\'te >> },{ <<"x">> \\ back\nnew\tline', 'q"uo\'te >> },{ <<"x">> \\ back\nnew\tline']);
    // ~p wrote this one as <<110,195,182,...>> (a byte 0x91 is not printable latin1)
    expect(names).toContainEqual(['növa-ő-日本', 'növa-ő-日本']);
    // a raw client's 0xff 0xfe 0x80: as amqplib decodes the header, U+FFFD each
    expect(names).toContainEqual(['n\uFFFD\uFFFD\uFFFDA', 'n\uFFFD\uFFFD\uFFFDA']);
    // 3900 bytes 0x85, written as 15 KB of integers: capped
    const long = ofType('connection.created').find((c) => c.userProvidedName?.startsWith('\uFFFD'))!;
    expect(long.userProvidedName).toHaveLength(MAX_TEXT);
    expect(long.clientProperties.connection_name).toBe('\uFFFD'.repeat(MAX_TEXT));
  });

  it('client property types: scalars kept (as text), tables, arrays, binaries, void and decimals skipped', () => {
    const c = ofType('connection.created').find((e) => e.userProvidedName?.startsWith('q"'))!;
    expect(c.clientProperties).toEqual({
      connection_name: 'q"uo\'te >> },{ <<"x">> \\ back\nnew\tline',
      product: 'amqplib',
      version: '2.3.1',
      platform: 'Node.JS v20.20.2',
      information: 'https://amqp-node.github.io/amqplib/',
      intp: '42',
      neg: '-7',
      big: '1099511627776',
      bl: 'false',
      fl: '1.5',
      f32: '2.5',
      ts: '1700000000',
      ub: '200',
      ui: '4000000000',
    });
  });

  it('queue arguments of every scalar type; a table skipped; the queue type 4.x adds as a header ignored', () => {
    const headers = headersOf('queue.created', (h) => h.name === 'hostile-q');
    headers.type = 'classic';
    headers.leader = 'rabbit@x';
    expect(parseBrokerEvent('queue.created', headers, 0)).toMatchObject({
      name: 'hostile-q',
      vhost: 'evx-fixture',
      durable: true,
      arguments: {
        'x-expires': 60000,
        'x-queue-type': 'classic',
        'x-dead-letter-exchange': 'dl"x',
        'x-max-priority': 5,
        'x-single-active-consumer': true,
        'x-f': 1.25,
        'x-big': 1099511627776,
        'x-neg': -300,
      },
    });
  });

  it('without user_provided_name (older brokers), the client property connection_name', () => {
    const headers = headersOf('connection.created', (h) => h.user_provided_name === 'növa-ő-日本');
    delete headers.user_provided_name;
    expect(parseBrokerEvent('connection.created', headers, 0)).toMatchObject({ userProvidedName: 'növa-ő-日本' });
    headers.user_provided_name = '';
    expect(parseBrokerEvent('connection.created', headers, 0)).toMatchObject({ userProvidedName: 'növa-ő-日本' });
    headers.client_properties = [];
    delete headers.user_provided_name;
    expect(parseBrokerEvent('connection.created', headers, 0)).toMatchObject({ userProvidedName: null, clientProperties: {} });
    const closed = headersOf('connection.closed', (h) => h.user_provided_name === 'növa-ő-日本');
    delete closed.user_provided_name;
    expect(parseBrokerEvent('connection.closed', closed, 0)).toMatchObject({ userProvidedName: 'növa-ő-日本' });
  });
});

describe('addresses', () => {
  it.each([
    ['{127,0,0,1}', '127.0.0.1'],
    ['{10,20,30,40}', '10.20.30.40'],
    ['{0,0,0,0,0,65535,32512,1}', '127.0.0.1'],
    ['{0,0,0,0,0,65535,2560,5}', '10.0.0.5'],
    ['{0,0,0,0,0,0,0,1}', '::1'],
    ['{0,0,0,0,0,0,0,0}', '::'],
    ['{8193,3512,0,0,0,0,0,1}', '2001:db8::1'],
    ['{65152,0,0,0,514,46079,65054,33608}', 'fe80::202:b3ff:fe1e:8348'],
    ['{8193,3512,0,1,1,1,1,1}', '2001:db8:0:1:1:1:1:1'],
    ['{8193,0,0,1,0,0,0,1}', '2001:0:0:1::1'],
  ])('%s → %s', (raw, text) => {
    expect(erlangAddress(raw)).toBe(text);
  });

  it('what is not an address tuple is kept as it came; undefined is none', () => {
    expect(erlangAddress('{256,0,0,1}')).toBe('{256,0,0,1}');
    expect(erlangAddress('{1,2,3}')).toBe('{1,2,3}');
    expect(erlangAddress('compute-1.example.org')).toBe('compute-1.example.org');
    expect(erlangAddress('undefined')).toBeNull();
    expect(erlangAddress('')).toBeNull();
    expect(erlangAddress(null)).toBeNull();
  });

  it('an IPv6 peer in a connection.created', () => {
    const headers = headersOf('connection.created', (h) => h.user_provided_name === 'nova-compute:4242:abcd-ef');
    headers.peer_host = '{0,0,0,0,0,0,0,1}';
    headers.host = '{0,0,0,0,0,65535,32512,1}';
    expect(parseBrokerEvent('connection.created', headers, 0)).toMatchObject({ peerHost: '::1', host: '127.0.0.1' });
  });
});

describe('tables (client properties, queue arguments)', () => {
  it('reads the scalar types; skips tables, arrays, binaries, void, decimals and what it cannot read', () => {
    const { values } = readTable([
      '{<<"s">>,longstr,<<"text">>}',
      '{<<"i">>,signedint,-60000}',
      '{<<"l">>,long,1099511627776}',
      '{<<"sh">>,short,-2}',
      '{<<"b">>,byte,7}',
      '{<<"t">>,bool,true}',
      '{<<"f">>,bool,false}',
      '{<<"fl">>,float,2.5}',
      '{<<"d">>,double,1.0e10}',
      '{<<"dn">>,double,-3.25e-5}',
      '{<<"ts">>,timestamp,1700000000}',
      '{<<"empty">>,longstr,<<>>}',
      '{<<"utf8">>,longstr,<<"caf\u00c3\u00a9"/utf8>>}',
      '{<<"esc">>,longstr,<<"a\\"b\\\\c\\nd\\te\\x41\\101">>}',
      '{<<"capabilities">>,table,[{<<"publisher_confirms">>,bool,true}]}',
      '{<<"arr">>,array,[{byte,1},{longstr,<<"x">>}]}',
      '{<<"bin">>,binary,<<255,0,65>>}',
      '{<<"nul">>,void,undefined}',
      '{<<"dec">>,decimal,{2,1234}}',
      '{<<"bad">>,longstr,<<"unterminated}',
      '{<<"bad2">>,long,12abc}',
      '{<<"bad3">>,longstr,<<300,1>>}',
      '{<<"bad4">>,bool,maybe}',
      '{<<"trailing">>,long,1} junk',
      'not a term',
      '',
      42,
      null,
      { a: 1 },
    ]);
    expect(values).toEqual({
      s: 'text',
      i: -60000,
      l: 1099511627776,
      sh: -2,
      b: 7,
      t: true,
      f: false,
      fl: 2.5,
      d: 1e10,
      dn: -3.25e-5,
      ts: 1700000000,
      empty: '',
      utf8: 'caf\u00c3\u00a9',
      esc: 'a"b\\c\nd\teAA',
    });
  });

  it('a name that looks like a term stays one value', () => {
    const name = '{<<"connection_name">>,longstr,<<"fake">>}';
    expect(readTable([prop('connection_name', name)])).toEqual({ values: { connection_name: name }, connectionName: name });
    const braces = 'a},{<<"product">>,longstr,<<"evil">>},{<<"x';
    expect(readTable([prop('connection_name', braces)]).values).toEqual({ connection_name: braces });
  });

  it(`keeps at most ${MAX_PROPERTIES} properties, and still finds connection_name after them`, () => {
    const many = Array.from({ length: 200 }, (_, i) => prop(`p${i}`, 'v'));
    const t = readTable([...many, prop('connection_name', 'hidden-behind')]);
    expect(Object.keys(t.values)).toHaveLength(MAX_PROPERTIES);
    expect(t.connectionName).toBe('hidden-behind');
  });

  it('a key __proto__ is a key, not a prototype', () => {
    const t = readTable([prop('__proto__', 'x'), prop('constructor', 'y')]);
    expect(Object.getPrototypeOf(t.values)).toBe(Object.prototype);
    expect(Object.keys(t.values)).toEqual(['__proto__', 'constructor']);
    expect(({} as Record<string, unknown>).x).toBeUndefined();
  });

  it('any text, written as the broker writes it, reads back as itself (capped)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 1500 }), fc.string({ unit: 'binary-ascii', maxLength: 40 }), (value, key) => {
        const t = readTable([prop(key, value)]);
        expect(t.values).toEqual(Object.fromEntries([[key, value.slice(0, MAX_TEXT)]]));
      }),
    );
  });
});

describe('hostile input', () => {
  const base = () => headersOf('connection.created', (h) => h.user_provided_name === 'nova-compute:4242:abcd-ef');

  it('a 100 KB connection name is capped, in the header and in the client properties', () => {
    const headers = base();
    const huge = 'x'.repeat(100 * 1024);
    headers.user_provided_name = huge;
    headers.client_properties = [prop('connection_name', huge), '{<<"capabilities">>,table,[{<<"a">>,bool,true}]}'];
    const e = parseBrokerEvent('connection.created', headers, 0);
    expect(e).toMatchObject({ userProvidedName: 'x'.repeat(MAX_TEXT), clientProperties: { connection_name: 'x'.repeat(MAX_TEXT) } });
  });

  it('quotes, >>, },{ and newlines in names', () => {
    const headers = base();
    const name = 'a"b >> c},{d\ne\r\n<<"f">>\\';
    headers.user_provided_name = name;
    headers.client_properties = [prop('connection_name', name)];
    expect(parseBrokerEvent('connection.created', headers, 0)).toMatchObject({ userProvidedName: name, clientProperties: { connection_name: name } });
  });

  it('garbage headers make null, never a throw', () => {
    const kinds = ['consumer.created', 'consumer.deleted', 'channel.created', 'channel.closed', 'connection.created', 'connection.closed', 'queue.created', 'queue.deleted', 'policy.set', 'vhost.created'];
    const throwing = Object.defineProperty({}, 'pid', {
      enumerable: true,
      get() {
        throw new Error('boom');
      },
    });
    const proxy = new Proxy(
      {},
      {
        get() {
          throw new Error('boom');
        },
        ownKeys() {
          throw new Error('boom');
        },
      },
    );
    for (const rk of kinds)
      for (const h of [null, undefined, 42, 'text', [], {}, { pid: 5 }, { name: null }, Buffer.from('x'), throwing, proxy])
        expect(parseBrokerEvent(rk, h, 0)).toBeNull();
    expect(parseBrokerEvent('connection.created', { ...base(), pid: { toString: () => 'x' } }, 0)).toBeNull();
    expect(parseBrokerEvent('exchange.created', { name: 'x', vhost: '/' }, 0)).toBeNull();
    expect(parseBrokerEvent('', base(), 0)).toBeNull();
  });

  it('fields around the identity that are missing or odd do not lose the event', () => {
    const headers = base();
    headers.client_properties = 'not a list';
    headers.peer_port = 'x';
    headers.node = 42;
    delete headers.protocol;
    expect(parseBrokerEvent('connection.created', headers, 0)).toMatchObject({ pid: headers.pid, clientProperties: {}, peerPort: null, node: null, protocol: null });
  });

  it('whatever the headers, no throw', () => {
    const rk = fc.constantFrom('consumer.created', 'consumer.deleted', 'channel.created', 'channel.closed', 'connection.created', 'connection.closed', 'queue.created', 'queue.deleted', 'policy.set', 'policy.cleared', 'vhost.created', 'vhost.deleted', 'other');
    fc.assert(fc.property(rk, fc.anything(), (k, h) => void parseBrokerEvent(k, h, 0)));
    fc.assert(fc.property(fc.array(fc.oneof(fc.string(), fc.string({ unit: 'binary' }).map((s) => `{<<"k">>,longstr,<<${s}>>}`), fc.anything())), (entries) => void readTable(entries)));
  });
});

describe('when it happened', () => {
  it('timestamp_in_ms, else the fallback', () => {
    const headers = headersOf('channel.closed', () => true);
    expect(parseBrokerEvent('channel.closed', headers, 5)).toMatchObject({ at: headers.timestamp_in_ms });
    delete headers.timestamp_in_ms;
    expect(parseBrokerEvent('channel.closed', headers, 5)).toMatchObject({ at: 5 });
    headers.timestamp_in_ms = 'soon';
    expect(parseBrokerEvent('channel.closed', headers, 5)).toMatchObject({ at: 5 });
  });

  it('the fallback: the AMQP timestamp property (seconds; microseconds before 3.6), else now', () => {
    const now = 1_800_000_000_000;
    expect(fallbackTime(captured[0]!.props.timestamp, now)).toBe(1796687984000);
    expect(fallbackTime(1796687984463000, now)).toBe(1796687984463);
    expect(fallbackTime(1796687984463, now)).toBe(1796687984463);
    expect(fallbackTime(undefined, now)).toBe(now);
    expect(fallbackTime(0, now)).toBe(now);
    expect(fallbackTime('1796687984', now)).toBe(now);
    expect(fallbackTime(Number.NaN, now)).toBe(now);
  });
});
