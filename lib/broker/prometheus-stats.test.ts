import { describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { queueRates, readingFromStream, readingFromText } from './prometheus-stats';

// As RabbitMQ 3.10's /metrics/detailed answers (channel pids and label order as it sends them).
const text = (delivered: number, published: number, channel = '<0.5642.1>') => `
# TYPE rabbitmq_detailed_queue_messages_ready gauge
rabbitmq_detailed_queue_messages_ready{vhost="/",queue="compute.host1"} 4
rabbitmq_detailed_queue_messages_ready{vhost="/",queue="idle"} 0
# TYPE rabbitmq_detailed_queue_messages_unacked gauge
rabbitmq_detailed_queue_messages_unacked{vhost="/",queue="compute.host1"} 1
rabbitmq_detailed_queue_messages_unacked{vhost="/",queue="idle"} 0
# TYPE rabbitmq_detailed_queue_consumers gauge
rabbitmq_detailed_queue_consumers{vhost="/",queue="compute.host1"} 1
rabbitmq_detailed_queue_consumers{vhost="/",queue="idle"} 0
# TYPE rabbitmq_detailed_channel_messages_delivered_ack_total counter
rabbitmq_detailed_channel_messages_delivered_ack_total{channel="${channel}",vhost="/",queue="compute.host1"} ${delivered}
# TYPE rabbitmq_detailed_channel_messages_acked_total counter
rabbitmq_detailed_channel_messages_acked_total{channel="${channel}",vhost="/",queue="compute.host1"} ${delivered}
# TYPE rabbitmq_detailed_queue_messages_published_total counter
rabbitmq_detailed_queue_messages_published_total{channel="<0.900.0>",queue_vhost="/",queue="compute.host1",exchange_vhost="/",exchange="nova"} ${published}
# TYPE rabbitmq_build_info untyped
rabbitmq_build_info{rabbitmq_version="3.10.8"} 1
# TYPE rabbitmq_identity_info untyped
rabbitmq_identity_info{rabbitmq_node="rabbit@a",rabbitmq_cluster="rabbit@a",rabbitmq_cluster_permanent_id="rabbitmq-cluster-id-x"} 1
`;

describe('queue statistics from the Prometheus plugin', () => {
  it('reads counts per queue', () => {
    const r = readingFromText(text(0, 0), 1000);
    expect(r.queues.get('/\u0000compute.host1')).toEqual({ ready: 4, unacked: 1, consumers: 1 });
    expect(r.queues.get('/\u0000idle')).toEqual({ ready: 0, unacked: 0, consumers: 0 });
    expect([...(r.counters?.get('')?.get('/\u0000compute.host1')?.keys() ?? [])]).toHaveLength(3);
  });

  it('computes rates as the increase of counters over the time between readings', () => {
    const rates = queueRates(readingFromText(text(100, 40), 10_000), readingFromText(text(150, 60), 20_000));
    expect(rates.get('/\u0000compute.host1')).toEqual({ publish: 2, deliver: 5, ack: 5, redeliver: 0 });
    expect(rates.has('/\u0000idle')).toBe(false);
  });

  it('counts a reset counter (a channel reopened) from zero, never as a negative rate', () => {
    const rates = queueRates(readingFromText(text(100, 40), 0), readingFromText(text(30, 40, '<0.7777.0>'), 10_000));
    expect(rates.get('/\u0000compute.host1')).toMatchObject({ deliver: 3, ack: 3, publish: 0 });
  });

  it('says which node of which cluster answered', () => {
    expect(readingFromText(text(0, 0), 0, 'http://a:15692').nodes).toEqual([{ url: 'http://a:15692', node: 'rabbit@a', cluster: 'rabbit@a', clusterId: 'rabbitmq-cluster-id-x' }]);
  });

  it('reads any name a queue may have: quotes, backslashes, braces, commas', () => {
    // The name `we\ird "q" {a,b}`, as the exposition format escapes it.
    const line = 'rabbitmq_detailed_queue_consumers{vhost="/",queue="we\\\\ird \\"q\\" {a,b}"} 2\n';
    const r = readingFromText(line, 0);
    expect([...r.queues.entries()]).toEqual([['/\u0000we\\ird "q" {a,b}', { ready: null, unacked: null, consumers: 2 }]]);
  });

  it('reads the bytes as the plugin sends them as it reads the text, names in any script included', () => {
    const answer = `${text(100, 40)}rabbitmq_detailed_queue_consumers{vhost="/",queue="réponse.計算-ノード"} 7\r\n`;
    const fromBytes = readingFromText(Buffer.from(answer, 'utf8'), 0, 'http://a:15692');
    expect(fromBytes).toEqual(readingFromText(answer, 0, 'http://a:15692'));
    expect(fromBytes.queues.get('/\u0000réponse.計算-ノード')?.consumers).toBe(7);
  });

  it('reads the answer as it arrives, in pieces cut anywhere, inside a line or a character', async () => {
    const answer = Buffer.from(`${text(100, 40)}rabbitmq_detailed_queue_consumers{vhost="/",queue="réponse.計算-ノード"} 7\n`, 'utf8');
    const whole = readingFromText(answer, 0, 'http://a:15692');
    for (const size of [1, 2, 3, 7, 64, answer.length]) {
      const pieces = Array.from({ length: Math.ceil(answer.length / size) }, (_, i) => answer.subarray(i * size, (i + 1) * size));
      expect(await readingFromStream(Readable.from(pieces), 0, 'http://a:15692'), `pieces of ${size} bytes`).toEqual(whole);
    }
    expect(whole.queues.get('/\u0000réponse.計算-ノード')?.consumers).toBe(7);
  });

  it('reads the names RabbitMQ 3.10 sends unescaped (rabbitmq-server#9648), as it sent them', () => {
    // Lines from RabbitMQ 3.10.8 for the queues `esc"quote`, `esc\back`, `esc} 1`, `a"` and `b\` in the vhost `odd"/`.
    const lines = [
      'rabbitmq_detailed_queue_consumers{vhost="/",queue="esc"quote"} 1',
      'rabbitmq_detailed_queue_consumers{vhost="/",queue="esc\\back"} 2',
      'rabbitmq_detailed_queue_consumers{vhost="/",queue="esc} 1"} 3',
      'rabbitmq_detailed_queue_consumers{vhost="odd"/",queue="a""} 4',
      'rabbitmq_detailed_queue_consumers{vhost="/",queue="b\\"} 5',
    ];
    const r = readingFromText(lines.join('\n'), 0);
    expect(Object.fromEntries([...r.queues].map(([k, v]) => [k.replace('\u0000', ' | '), v.consumers]))).toEqual({
      '/ | esc"quote': 1,
      '/ | esc\\back': 2,
      '/ | esc} 1': 3,
      'odd"/ | a"': 4,
      '/ | b\\': 5,
    });
  });

  it('refuses what is not Prometheus text', () => {
    expect(() => readingFromText('<html><body>sign in</body></html>', 0)).not.toThrow();
    expect(readingFromText('<html><body>sign in</body></html>', 0).nodes).toEqual([]);
    expect(() => readingFromText('rabbitmq_detailed_queue_consumers{vhost="/",queue="x 2', 0)).toThrow(/unterminated/);
    expect(() => readingFromText('rabbitmq_detailed_queue_consumers{vhost="/",queue="x"} many', 0)).toThrow(/not a number/);
  });
});
