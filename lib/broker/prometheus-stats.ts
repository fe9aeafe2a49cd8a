import 'server-only';
// Queue counts and rates from RabbitMQ's Prometheus plugin (port 15692, /metrics/detailed),
// for brokers whose management API gives none (management_agent.disable_metrics_collector,
// the direction RabbitMQ is taking). Counts are gauges; rates are the increase of per-channel
// counters between two readings, as Prometheus' own `rate()` computes them.
import type https from 'node:https';
import axios from 'axios';
import type { BrokerInputs, MessageRates } from '@/lib/domain/types';
import { refKey } from '@/lib/domain/keys';
import { BrokerError } from './errors';
import { parsePrometheusText } from './prometheus-text';

/** The families that hold per-queue counts and per-channel-per-queue counters. */
export const DETAILED_PATH =
  '/metrics/detailed?family=queue_coarse_metrics&family=queue_consumer_count&family=channel_queue_metrics&family=channel_queue_exchange_metrics';

type Field = keyof MessageRates;

/** Which counter feeds which rate; labels name the queue as vhost+queue, or queue_vhost+queue. */
const COUNTERS: Record<string, Field> = {
  rabbitmq_detailed_queue_messages_published_total: 'publish',
  rabbitmq_detailed_channel_messages_delivered_ack_total: 'deliver',
  rabbitmq_detailed_channel_messages_delivered_total: 'deliver',
  rabbitmq_detailed_channel_get_ack_total: 'deliver',
  rabbitmq_detailed_channel_get_total: 'deliver',
  rabbitmq_detailed_channel_messages_acked_total: 'ack',
  rabbitmq_detailed_channel_messages_redelivered_total: 'redeliver',
};


export interface PrometheusReading {
  /** Epoch ms of the reading. */
  at: number;
  /** Per queue (`vhost\0name`): the gauges. */
  queues: Map<string, { ready: number | null; unacked: number | null; consumers: number | null }>;
  /** Per counter series: the queue it counts for, the rate it feeds, its value. */
  counters: Map<string, { queue: string; field: Field; value: number }>;
}

export function readingFromText(text: string, at: number): PrometheusReading {
  const reading: PrometheusReading = { at, queues: new Map(), counters: new Map() };
  const gauge = (key: string) => {
    let q = reading.queues.get(key);
    if (!q) reading.queues.set(key, (q = { ready: null, unacked: null, consumers: null }));
    return q;
  };
  for (const s of parsePrometheusText(text).samples) {
    const vhost = s.labels.vhost ?? s.labels.queue_vhost;
    const queue = s.labels.queue;
    if (vhost === undefined || queue === undefined) continue;
    const key = refKey(vhost, queue);
    if (s.name === 'rabbitmq_detailed_queue_messages_ready') gauge(key).ready = s.value;
    else if (s.name === 'rabbitmq_detailed_queue_messages_unacked') gauge(key).unacked = s.value;
    else if (s.name === 'rabbitmq_detailed_queue_consumers') gauge(key).consumers = s.value;
    else if (COUNTERS[s.name]) {
      const series = `${s.name}{${Object.entries(s.labels).sort().map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(',')}}`;
      reading.counters.set(series, { queue: key, field: COUNTERS[s.name]!, value: s.value });
    }
  }
  return reading;
}

/**
 * Per-queue rates between two readings. A counter that went down was reset (its channel
 * reopened): all of its value is new. A series that appeared counts from zero; one that
 * vanished (its channel closed) is lost for this interval, as in Prometheus.
 */
export function queueRates(previous: PrometheusReading, current: PrometheusReading): Map<string, MessageRates> {
  const seconds = (current.at - previous.at) / 1000;
  const rates = new Map<string, MessageRates>();
  if (seconds <= 0) return rates;
  for (const key of current.queues.keys()) rates.set(key, { publish: 0, deliver: 0, ack: 0, redeliver: 0 });
  for (const [series, c] of current.counters) {
    const before = previous.counters.get(series)?.value ?? 0;
    const increase = c.value >= before ? c.value - before : c.value;
    const r = rates.get(c.queue);
    if (r) r[c.field] += increase / seconds;
  }
  return rates;
}

/**
 * The inputs with queue counts from the reading and rates when there are two readings;
 * the overview's rates become the sums over queues (publish counts a copy per queue).
 */
export function withPrometheusStats(inputs: BrokerInputs, reading: PrometheusReading, rates: Map<string, MessageRates> | null): BrokerInputs {
  const total: MessageRates = { publish: 0, deliver: 0, ack: 0, redeliver: 0 };
  const queues = inputs.queues.map((q) => {
    const key = refKey(q.vhost, q.name);
    const g = reading.queues.get(key);
    const r = rates?.get(key) ?? null;
    if (r) for (const f of Object.keys(total) as Field[]) total[f] += r[f];
    return {
      ...q,
      messagesReady: g?.ready ?? null,
      messagesUnacknowledged: g?.unacked ?? null,
      consumers: g?.consumers ?? null,
      rates: r,
    };
  });
  return {
    ...inputs,
    overview: { ...inputs.overview, statsEnabled: true, ratesMode: 'prometheus plugin', rates: rates ? total : null },
    queues,
  };
}

export interface PrometheusSourceOptions {
  url: string;
  timeoutMs: number;
  httpsAgent?: https.Agent;
}

/** One reading of the plugin; BrokerError when it cannot be had. */
export async function readPrometheus(options: PrometheusSourceOptions, now = Date.now): Promise<PrometheusReading> {
  const request = `GET ${DETAILED_PATH.split('?')[0]}`;
  try {
    const res = await axios.get<string>(`${options.url.replace(/\/+$/, '')}${DETAILED_PATH}`, {
      timeout: options.timeoutMs,
      responseType: 'text',
      transformResponse: (d: string) => d,
      httpsAgent: options.httpsAgent,
    });
    return readingFromText(res.data, now());
  } catch (err) {
    if (axios.isAxiosError(err))
      throw new BrokerError('unreachable', request, `the Prometheus plugin at ${options.url} could not be read (${err.response ? `HTTP ${err.response.status}` : err.code ?? err.message})`);
    throw new BrokerError('invalid-answer', request, `the Prometheus plugin at ${options.url} sent what is not Prometheus text: ${(err as Error).message}`);
  }
}
