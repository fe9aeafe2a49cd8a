import { describe, expect, it } from 'vitest';
import { emptyInputs, makeQueue } from '../testing/builders';
import { queueRates, readingFromText, withPrometheusStats } from './prometheus-stats';

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
`;

describe('queue statistics from the Prometheus plugin', () => {
  it('reads counts per queue', () => {
    const r = readingFromText(text(0, 0), 1000);
    expect(r.queues.get('/\u0000compute.host1')).toEqual({ ready: 4, unacked: 1, consumers: 1 });
    expect(r.queues.get('/\u0000idle')).toEqual({ ready: 0, unacked: 0, consumers: 0 });
    expect(r.counters.size).toBe(3);
  });

  it('computes rates as the increase of counters over the time between readings', () => {
    const rates = queueRates(readingFromText(text(100, 40), 10_000), readingFromText(text(150, 60), 20_000));
    expect(rates.get('/\u0000compute.host1')).toEqual({ publish: 2, deliver: 5, ack: 5, redeliver: 0 });
    expect(rates.get('/\u0000idle')).toEqual({ publish: 0, deliver: 0, ack: 0, redeliver: 0 });
  });

  it('counts a reset counter (a channel reopened) from zero, never as a negative rate', () => {
    const rates = queueRates(readingFromText(text(100, 40), 0), readingFromText(text(30, 40, '<0.7777.0>'), 10_000));
    expect(rates.get('/\u0000compute.host1')).toMatchObject({ deliver: 3, ack: 3, publish: 0 });
  });

  it('fills the inputs: counts, rates once there are two readings, overview rates as sums; unknown queues stay unknown', () => {
    const inputs = emptyInputs({ queues: [makeQueue({ name: 'compute.host1' }), makeQueue({ name: 'not-in-plugin' })] });
    const first = withPrometheusStats(inputs, readingFromText(text(0, 0), 0), null);
    expect(first.overview).toMatchObject({ statsEnabled: true, ratesMode: 'prometheus plugin', rates: null });
    expect(first.queues[0]).toMatchObject({ messagesReady: 4, messagesUnacknowledged: 1, consumers: 1, rates: null });
    expect(first.queues[1]).toMatchObject({ messagesReady: null, consumers: null, rates: null });
    const rates = queueRates(readingFromText(text(0, 0), 0), readingFromText(text(10, 20), 10_000));
    const second = withPrometheusStats(inputs, readingFromText(text(10, 20), 10_000), rates);
    expect(second.queues[0]?.rates).toEqual({ publish: 2, deliver: 1, ack: 1, redeliver: 0 });
    expect(second.overview.rates).toEqual({ publish: 2, deliver: 1, ack: 1, redeliver: 0 });
  });
});
