import 'server-only';
// Queue counts and rates from RabbitMQ's Prometheus plugin (port 15692, /metrics/detailed):
// the cheap read of what changes all the time. At 1000 hosts (12,056 queues) the two gauge
// families answer in 0.5–1.7 s and 1 MB gzipped on the bench's busy 2 cores (docs/performance.md),
// where the management API's queue list with counts takes several seconds:
//
// - queue_coarse_metrics: ready, unacked and total messages per queue;
// - queue_consumer_count: consumers per queue (how a lost consumer is seen at once).
//
// The rates come from two counter families, read less often (their increase between two
// readings is the rate, whatever the time between): with traffic they weigh as much as the
// gauges (another 1 MB at 1000 hosts), and a rate over 10 s is as good as one over 2 s.
//
// - channel_queue_metrics: per channel and queue, messages delivered, acked, redelivered;
// - channel_queue_exchange_metrics: per channel, queue and exchange, messages published.
//
// queue_metrics, with the same counts and much more per queue, weighs 27 MB at that size: it is
// never asked for.
//
// Each node answers for the queues it hosts: a cluster is read from every node's plugin.
import type https from 'node:https';
import type { Readable } from 'node:stream';
import axios from 'axios';
import { retryIfClosedWhileIdle } from './idle-close';
import { refKey } from '@/lib/domain/keys';
import type { MessageRates } from '@/lib/domain/types';
import { BrokerError } from './errors';

const GAUGE_FAMILIES = ['queue_coarse_metrics', 'queue_consumer_count'];
const COUNTER_FAMILIES = ['channel_queue_metrics', 'channel_queue_exchange_metrics'];
const DETAILED = '/metrics/detailed';
const detailedPath = (o: { gauges?: boolean; counters: boolean }) =>
  `${DETAILED}?${[...(o.gauges === false ? [] : GAUGE_FAMILIES), ...(o.counters ? COUNTER_FAMILIES : [])].map((f) => `family=${f}`).join('&')}`;

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
/** A counter series is named by one character for its family (A, B, …: the order above) and its labels but the queue's. */
const COUNTER_NAMES = Object.keys(COUNTERS);
const COUNTER_CODE = new Map(COUNTER_NAMES.map((name, i) => [name, String.fromCharCode(65 + i)]));
const fieldOfSeries = (series: string): Field => COUNTERS[COUNTER_NAMES[series.charCodeAt(0) - 65]!]!;
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
  /**
   * The counters' values by node (its plugin's URL), queue (refKey) and series (the family and the labels
   * but the queue's: channel, exchange); null when not asked for. Nested, because at 1000 hosts there are
   * 42,000 series, and a key of its own for each (URL, family and every label) weighed 13 MB.
   */
  counters: Map<string, Map<string, Map<string, number>>> | null;
}

const LABEL_NAME = /[a-zA-Z_][a-zA-Z0-9_]*="/y;

/** Whether the quote just before `k` closes a label value: the next label or the end of the set follows. */
function closesValue(line: string, k: number): boolean {
  const c = line.charCodeAt(k);
  if (c === 125 /* } */) return k + 1 === line.length || line.charCodeAt(k + 1) === 32;
  if (c !== 44 /* , */) return false;
  LABEL_NAME.lastIndex = k + 1;
  return LABEL_NAME.test(line);
}

/**
 * A label set `a="x",b="y"` from `from` (just after `{`); where it ends (the `}`). RabbitMQ 3.10
 * (and later 3.x until rabbitmq-server#9648 was fixed) escapes nothing in label values: a queue
 * named `a"b` comes as `queue="a"b"`, where newer ones send `queue="a\"b"`. So a quote ends a value only where the next label or the end follows, and
 * `\"` is an escaped quote unless that quote ends the value (a raw name ending in a backslash).
 */
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
        const next = line[j + 1];
        if (next === '\\' || next === 'n' || (next === '"' && !closesValue(line, j + 2))) {
          value += line.slice(start, j) + (next === 'n' ? '\n' : next);
          start = ++j + 1;
        }
      } else if (c === 34 /* " */ && closesValue(line, j + 1)) break;
    }
    if (j >= line.length) throw new Error(`unterminated label in: ${line.slice(0, 200)}`);
    labels[key] = value + line.slice(start, j);
    i = line.charCodeAt(j + 1) === 44 /* , */ ? j + 2 : j + 1;
  }
  return { labels, end: i };
}

/**
 * Feeds each whole line of `bytes` to `each`, decoded on its own, and returns what follows the last
 * newline. V8 keeps a whole string alive for any slice of it, so a queue's key cut from a string of the
 * whole answer would keep megabytes of text for as long as the key is kept (from one reading to the
 * next, and longer); cut from its line, its line. A newline byte is never part of a UTF-8 character.
 */
function eachLine(bytes: Buffer, each: (line: string) => void): Buffer {
  let start = 0;
  for (let end = bytes.indexOf(10 /* \n */); end >= 0; end = bytes.indexOf(10, start)) {
    each(bytes.toString('utf8', start, end));
    start = end + 1;
  }
  return bytes.subarray(start);
}

/** A reading made line by line. Only the lines of the families above are read; of a gauge's labels only the vhost and the queue. */
function readingBuilder(at: number, url: string): { line: (line: string) => void; reading: PrometheusReading } {
  const counters = new Map<string, Map<string, number>>();
  const reading: PrometheusReading = { at, nodes: [], queues: new Map(), counters: new Map([[url, counters]]) };
  const gauges = (key: string) => {
    let q = reading.queues.get(key);
    if (!q) reading.queues.set(key, (q = { ready: null, unacked: null, consumers: null }));
    return q;
  };
  const line = (line: string) => {
    if (line.length === 0 || line.charCodeAt(0) === 35 /* # */) return;
    const brace = line.indexOf('{');
    if (brace < 0) return;
    const name = line.slice(0, brace);
    const gauge = GAUGES[name];
    const counter = COUNTERS[name];
    if (!gauge && !counter && name !== IDENTITY) return;
    const { labels, end } = readLabels(line, brace + 1);
    const value = Number(line.slice(end + 1).trim().split(' ')[0]);
    if (Number.isNaN(value)) throw new Error(`not a number in: ${line.slice(0, 200)}`);
    if (name === IDENTITY) {
      reading.nodes.push({ url, node: labels.rabbitmq_node ?? '', cluster: labels.rabbitmq_cluster ?? '', clusterId: labels.rabbitmq_cluster_permanent_id ?? '' });
      return;
    }
    const vhost = labels.vhost ?? labels.queue_vhost;
    const queue = labels.queue;
    if (vhost === undefined || queue === undefined) return;
    const key = refKey(vhost, queue);
    if (gauge) gauges(key)[gauge] = value;
    else if (counter) {
      let series = counters.get(key);
      if (!series) counters.set(key, (series = new Map()));
      let id = COUNTER_CODE.get(name)!;
      for (const label in labels) if (label !== 'vhost' && label !== 'queue_vhost' && label !== 'queue') id += `\u0001${labels[label]}`;
      series.set(id, value);
    }
  };
  return { line, reading };
}

/** One node's whole answer, as text or as the bytes it came in. */
export function readingFromText(answer: string | Buffer, at: number, url = ''): PrometheusReading {
  const { line, reading } = readingBuilder(at, url);
  if (typeof answer === 'string') answer.split('\n').forEach(line);
  else line(eachLine(answer, line).toString('utf8'));
  return reading;
}

/**
 * One node's answer read as it arrives: never more of it in memory than a chunk and a line (at 1000
 * hosts the answer is 7 MB, at 3000 20 MB, every refresh; kept whole, it and the pieces it was read in
 * were most of what the server held outside V8's heap).
 */
export async function readingFromStream(answer: AsyncIterable<Buffer>, at: number, url = ''): Promise<PrometheusReading> {
  const { line, reading } = readingBuilder(at, url);
  let rest: Buffer = Buffer.alloc(0);
  for await (const chunk of answer) rest = eachLine(rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk, line);
  line(rest.toString('utf8'));
  return reading;
}

/**
 * Per-queue rates between two readings. A counter that went down was reset (its channel
 * reopened): all of its value is new. A series that appeared counts from zero; one that
 * vanished (its channel closed) is lost for this interval, as in Prometheus. A queue without
 * series had no traffic: it has no entry.
 */
export function queueRates(previous: PrometheusReading, current: PrometheusReading): Map<string, MessageRates> {
  const seconds = (current.at - previous.at) / 1000;
  const rates = new Map<string, MessageRates>();
  if (seconds <= 0 || !previous.counters || !current.counters) return rates;
  for (const [url, queues] of current.counters) {
    const earlier = previous.counters.get(url);
    for (const [queue, series] of queues) {
      const was = earlier?.get(queue);
      let r = rates.get(queue);
      if (!r) rates.set(queue, (r = { publish: 0, deliver: 0, ack: 0, redeliver: 0 }));
      for (const [id, value] of series) {
        const before = was?.get(id) ?? 0;
        r[fieldOfSeries(id)] += (value >= before ? value - before : value) / seconds;
      }
    }
  }
  return rates;
}

export interface PrometheusSourceOptions {
  /** One per node of the cluster: each answers for the queues it hosts. */
  urls: readonly string[];
  /** The counter families (for rates). */
  counters: boolean;
  /** The gauge families (counts); default true. */
  gauges?: boolean;
  timeoutMs: number;
  httpsAgent?: https.Agent;
}

const request = `GET ${DETAILED}`;

async function readNode(url: string, options: PrometheusSourceOptions, now: () => number): Promise<PrometheusReading> {
  // The whole answer within the timeout, not only its first bytes.
  const signal = AbortSignal.timeout(options.timeoutMs);
  const timedOut = () => new BrokerError('timeout', request, `the Prometheus plugin at ${url} did not answer in ${options.timeoutMs} ms`);
  let answer: Readable;
  try {
    const res = await retryIfClosedWhileIdle(
      (config) =>
        axios.get<Readable>(`${url.replace(/\/+$/, '')}${detailedPath(options)}`, {
          timeout: options.timeoutMs,
          signal,
          responseType: 'stream',
          httpsAgent: options.httpsAgent,
          transitional: { clarifyTimeoutError: true },
          ...config,
        }),
      options.httpsAgent,
    );
    answer = res.data;
  } catch (err) {
    if (signal.aborted) throw timedOut();
    if (!axios.isAxiosError(err)) throw err;
    const status = err.response?.status;
    // An answer that is not read keeps its socket.
    (err.response?.data as Readable | undefined)?.destroy?.();
    if (status === 404)
      throw new BrokerError('not-found', request, `the Prometheus plugin at ${url} answered 404: rabbitmq_prometheus is not enabled there, or the broker is older than 3.10 (no /metrics/detailed)`, 404);
    if (err.code === 'ETIMEDOUT' || err.code === 'ECONNABORTED') throw timedOut();
    if (status !== undefined) throw new BrokerError('http', request, `the Prometheus plugin at ${url} answered ${status}`, status);
    throw new BrokerError('unreachable', request, `the Prometheus plugin at ${url} could not be read (${err.code ?? err.message})`);
  }
  let reading: PrometheusReading;
  try {
    reading = await readingFromStream(answer, now(), url);
    if (!options.counters) reading.counters = null;
  } catch (err) {
    answer.destroy();
    if (signal.aborted) throw timedOut();
    if (err instanceof Error && 'code' in err)
      throw new BrokerError('invalid-answer', request, `the answer of the Prometheus plugin at ${url} broke off or could not be read (${String(err.code)})`, 200);
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
  const counters: PrometheusReading['counters'] = options.counters ? new Map() : null;
  const merged: PrometheusReading = { at: now(), nodes: [], queues: new Map(), counters };
  for (const r of readings) {
    merged.nodes.push(...r.nodes);
    for (const [k, v] of r.queues) merged.queues.set(k, v);
    if (counters && r.counters) for (const [k, v] of r.counters) counters.set(k, v);
  }
  return merged;
}
