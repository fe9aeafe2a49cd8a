import 'server-only';
// Queue counts and rates from RabbitMQ's Prometheus plugin (port 15692, /metrics/detailed):
// the cheap read of what changes all the time. Measured at 1000 hosts (12,056 queues): these
// four families in 0.4–0.6 s and 1.2 MB gzipped, where the management API's queue list with
// counts took 0.9–6.9 s.
//
// - queue_coarse_metrics: ready, unacked and total messages per queue (the gauges);
// - queue_consumer_count: consumers per queue (how a lost consumer is seen at once);
// - channel_queue_metrics: per channel and queue, messages delivered, acked, redelivered;
// - channel_queue_exchange_metrics: per channel, queue and exchange, messages published.
// The last two are counters whose increase between two readings gives the rates; they only
// have series for channels that moved messages, so they add little. queue_metrics, with the
// same counts and much more per queue, weighs 27 MB at that size: it is never asked for.
//
// Each node answers for the queues it hosts: a cluster is read from every node's plugin.
import type https from 'node:https';
import axios from 'axios';
import { refKey } from '@/lib/domain/keys';
import type { MessageRates } from '@/lib/domain/types';
import { BrokerError } from './errors';

export const DETAILED_FAMILIES = ['queue_coarse_metrics', 'queue_consumer_count', 'channel_queue_metrics', 'channel_queue_exchange_metrics'] as const;
export const DETAILED_PATH = `/metrics/detailed?${DETAILED_FAMILIES.map((f) => `family=${f}`).join('&')}`;

type Field = keyof MessageRates;

/** Which counter feeds which rate. */
const COUNTERS: Readonly<Record<string, Field>> = {
  rabbitmq_detailed_queue_messages_published_total: 'publish',
  rabbitmq_detailed_channel_messages_delivered_ack_total: 'deliver',
  rabbitmq_detailed_channel_messages_delivered_total: 'deliver',
  rabbitmq_detailed_channel_get_ack_total: 'deliver',
  rabbitmq_detailed_channel_get_total: 'deliver',
  rabbitmq_detailed_channel_messages_acked_total: 'ack',
  rabbitmq_detailed_channel_messages_redelivered_total: 'redeliver',
};
type Gauge = 'ready' | 'unacked' | 'consumers';
const GAUGES: Readonly<Record<string, Gauge>> = {
  rabbitmq_detailed_queue_messages_ready: 'ready',
  rabbitmq_detailed_queue_messages_unacked: 'unacked',
  rabbitmq_detailed_queue_consumers: 'consumers',
};
const IDENTITY = 'rabbitmq_identity_info';

export interface QueueCounts {
  ready: number | null;
  unacked: number | null;
  consumers: number | null;
}

/** Who answered: a node of which cluster (rabbitmq_identity_info, in every answer of the plugin). */
export interface PluginNode {
  url: string;
  node: string;
  /** The cluster's name as the node saw it when it started (a node that joined later still says its own). */
  cluster: string;
  /** The same on every node of one cluster. */
  clusterId: string;
}

export interface PrometheusReading {
  /** Epoch ms of the reading. */
  at: number;
  nodes: PluginNode[];
  /** Per queue (refKey): the gauges. */
  queues: Map<string, QueueCounts>;
  /** Per counter series: the queue (refKey) it counts for, the rate it feeds, its value. */
  counters: Map<string, { queue: string; field: Field; value: number }>;
}

/** A label set `a="x",b="y"` from `from` (just after `{`), escapes undone; where it ends (the `}`). */
function readLabels(line: string, from: number): { labels: Record<string, string>; end: number } {
  const labels: Record<string, string> = {};
  let i = from;
  while (line.charCodeAt(i) !== 125 /* } */) {
    const eq = line.indexOf('="', i);
    if (eq < 0) throw new Error(`unreadable labels in: ${line.slice(0, 200)}`);
    const key = line.slice(i, eq);
    let value = '';
    let start = eq + 2;
    let j = start;
    for (; j < line.length; j++) {
      const c = line.charCodeAt(j);
      if (c === 92 /* \ */) {
        value += line.slice(start, j) + (line[j + 1] === 'n' ? '\n' : (line[j + 1] ?? ''));
        start = ++j + 1;
      } else if (c === 34 /* " */) break;
    }
    if (j >= line.length) throw new Error(`unterminated label in: ${line.slice(0, 200)}`);
    labels[key] = value + line.slice(start, j);
    i = line.charCodeAt(j + 1) === 44 /* , */ ? j + 2 : j + 1;
    if (i >= line.length) throw new Error(`unterminated labels in: ${line.slice(0, 200)}`);
  }
  return { labels, end: i };
}

/** One node's answer. Only the lines of the families above are read, and only their vhost and queue labels. */
export function readingFromText(text: string, at: number, url = ''): PrometheusReading {
  const reading: PrometheusReading = { at, nodes: [], queues: new Map(), counters: new Map() };
  const gauges = (key: string) => {
    let q = reading.queues.get(key);
    if (!q) reading.queues.set(key, (q = { ready: null, unacked: null, consumers: null }));
    return q;
  };
  for (const line of text.split('\n')) {
    if (line.length === 0 || line.charCodeAt(0) === 35 /* # */) continue;
    const brace = line.indexOf('{');
    if (brace < 0) continue;
    const name = line.slice(0, brace);
    const gauge = GAUGES[name];
    const counter = COUNTERS[name];
    if (!gauge && !counter && name !== IDENTITY) continue;
    const { labels, end } = readLabels(line, brace + 1);
    const value = Number(line.slice(end + 1).trim().split(' ')[0]);
    if (Number.isNaN(value)) throw new Error(`not a number in: ${line.slice(0, 200)}`);
    if (name === IDENTITY) {
      reading.nodes.push({ url, node: labels.rabbitmq_node ?? '', cluster: labels.rabbitmq_cluster ?? '', clusterId: labels.rabbitmq_cluster_permanent_id ?? '' });
      continue;
    }
    const vhost = labels.vhost ?? labels.queue_vhost;
    const queue = labels.queue;
    if (vhost === undefined || queue === undefined) continue;
    const key = refKey(vhost, queue);
    if (gauge) gauges(key)[gauge] = value;
    else if (counter) reading.counters.set(`${url} ${line.slice(0, end + 1)}`, { queue: key, field: counter, value });
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

export interface PrometheusSourceOptions {
  /** One per node of the cluster: each answers for the queues it hosts. */
  urls: readonly string[];
  timeoutMs: number;
  httpsAgent?: https.Agent;
}

const request = `GET ${DETAILED_PATH.split('?')[0]}`;

async function readNode(url: string, options: PrometheusSourceOptions, now: () => number): Promise<PrometheusReading> {
  let text: string;
  try {
    const res = await axios.get<string>(`${url.replace(/\/+$/, '')}${DETAILED_PATH}`, {
      timeout: options.timeoutMs,
      responseType: 'text',
      transformResponse: (d: string) => d,
      httpsAgent: options.httpsAgent,
      transitional: { clarifyTimeoutError: true },
    });
    text = res.data;
  } catch (err) {
    if (!axios.isAxiosError(err)) throw err;
    const status = err.response?.status;
    if (status === 404)
      throw new BrokerError('not-found', request, `the Prometheus plugin at ${url} answered 404: rabbitmq_prometheus is not enabled there, or the broker is older than 3.10 (no /metrics/detailed)`, 404);
    if (err.code === 'ETIMEDOUT' || err.code === 'ECONNABORTED')
      throw new BrokerError('timeout', request, `the Prometheus plugin at ${url} did not answer in ${options.timeoutMs} ms`);
    if (status !== undefined && status >= 200 && status < 300)
      throw new BrokerError('invalid-answer', request, `the answer of the Prometheus plugin at ${url} broke off or could not be read (${err.code ?? err.message})`, status);
    if (status !== undefined) throw new BrokerError('http', request, `the Prometheus plugin at ${url} answered ${status}`, status);
    throw new BrokerError('unreachable', request, `the Prometheus plugin at ${url} could not be read (${err.code ?? err.message})`);
  }
  let reading: PrometheusReading;
  try {
    reading = readingFromText(text, now(), url);
  } catch (err) {
    throw new BrokerError('invalid-answer', request, `the Prometheus plugin at ${url} sent what is not Prometheus text: ${(err as Error).message}`);
  }
  // Every answer of the plugin says who it is, near its end: without it, it is not the plugin, or it was cut.
  if (reading.nodes.length === 0)
    throw new BrokerError('invalid-answer', request, `the answer from ${url} does not say which RabbitMQ node it is (no ${IDENTITY}): not the Prometheus plugin, or an answer cut short`);
  return reading;
}

/** One reading of every node's plugin, merged; BrokerError when any node cannot be read. */
export async function readPrometheus(options: PrometheusSourceOptions, now: () => number = Date.now): Promise<PrometheusReading> {
  const readings = await Promise.all(options.urls.map((url) => readNode(url, options, now)));
  const merged: PrometheusReading = { at: now(), nodes: [], queues: new Map(), counters: new Map() };
  for (const r of readings) {
    merged.nodes.push(...r.nodes);
    for (const [k, v] of r.queues) merged.queues.set(k, v);
    for (const [k, v] of r.counters) merged.counters.set(k, v);
  }
  return merged;
}
