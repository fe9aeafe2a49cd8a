// The floor: what one full refresh costs with a plain HTTP client (node:http, gzip,
// JSON.parse; no axios, no schema, no mapping), asking the management API exactly
// what lib/broker asks: the same endpoints, columns and paging (page_size 500, the
// first page alone, then the rest four at a time), topology and counts in parallel.
import http from 'node:http';
import https from 'node:https';
import { gunzipSync, inflateSync } from 'node:zlib';
import { COLUMNS } from '../../lib/broker/columns';

const PAGE_SIZE = 500;
const PAGE_CONCURRENCY = 4;

export interface Broker {
  url: string;
  username: string;
  password: string;
}

export interface RequestTiming {
  list: string;
  path: string;
  page: number | null;
  startMs: number;
  ms: number;
  /** Body bytes on the wire (compressed when the broker compressed). */
  wireBytes: number;
  /** Body bytes once decompressed. */
  bytes: number;
  encoding: string;
  items: number;
}

export interface RawList {
  list: string;
  /** The answers as parsed JSON: one per page for paged lists. */
  answers: unknown[];
}

export interface FloorRun {
  ms: number;
  requests: RequestTiming[];
  lists: RawList[];
  /** Per list: when its last answer arrived (the critical path). */
  listMs: Record<string, number>;
}

type Params = Record<string, string | number | boolean>;

/** axios's own query encoding (commas and colons kept), so the broker sees the same URLs. */
export function query(params: Params): string {
  return Object.entries(params)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v)).replace(/%3A/gi, ':').replace(/%2C/gi, ',').replace(/%20/g, '+')}`)
    .join('&');
}

// A connection per request: the broker (cowboy) closes idle keep-alive connections after a few
// seconds, and a request sent on one being closed fails with "socket hang up". On loopback a
// connection costs a fraction of a millisecond.
const agents = { http: new http.Agent({ keepAlive: false, maxSockets: Infinity }), https: new https.Agent({ keepAlive: false, maxSockets: Infinity }) };

export function rawGet(
  broker: Broker,
  path: string,
  params: Params,
  timeoutMs = 120_000,
): Promise<{ body: unknown; wireBytes: number; bytes: number; encoding: string; status: number }> {
  const base = new URL(broker.url);
  const qs = query(params);
  const lib = base.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(
      {
        protocol: base.protocol,
        hostname: base.hostname,
        port: base.port,
        path: `${base.pathname.replace(/\/+$/, '')}${path}${qs ? `?${qs}` : ''}`,
        method: 'GET',
        agent: base.protocol === 'https:' ? agents.https : agents.http,
        auth: `${broker.username}:${broker.password}`,
        headers: { accept: 'application/json', 'accept-encoding': 'gzip, deflate' },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          try {
            const wire = Buffer.concat(chunks);
            const encoding = String(res.headers['content-encoding'] ?? 'identity');
            const plain = encoding === 'gzip' ? gunzipSync(wire) : encoding === 'deflate' ? inflateSync(wire) : wire;
            if ((res.statusCode ?? 0) >= 400) {
              reject(new Error(`GET ${path} answered ${res.statusCode}: ${plain.toString('utf8').slice(0, 200)}`));
              return;
            }
            resolve({ body: JSON.parse(plain.toString('utf8')), wireBytes: wire.length, bytes: plain.length, encoding, status: res.statusCode ?? 0 });
          } catch (err) {
            reject(err);
          }
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`GET ${path}: timeout`)));
    req.on('error', reject);
    req.end();
  });
}

interface ListSpec {
  list: string;
  path: string;
  params: Params;
  paged: boolean;
}

/**
 * The lists lib/broker reads for one refresh that re-reads the topology too (read-broker.ts),
 * paged where management-client.ts pages (getAllPages) and whole where it does not: keep in step.
 */
export const FULL_REFRESH: ListSpec[] = [
  // topology (slow cadence)
  { list: 'vhosts', path: '/api/vhosts', params: { columns: COLUMNS.vhosts.join(',') }, paged: false },
  { list: 'exchanges', path: '/api/exchanges', params: { columns: COLUMNS.exchanges.join(',') }, paged: true },
  { list: 'bindings', path: '/api/bindings', params: { columns: COLUMNS.bindings.join(',') }, paged: false },
  { list: 'queues (metadata)', path: '/api/queues', params: { columns: COLUMNS.queueMetadata.join(','), disable_stats: true }, paged: false },
  // counts (every refresh)
  { list: 'overview', path: '/api/overview', params: {}, paged: false },
  { list: 'nodes', path: '/api/nodes', params: { columns: COLUMNS.nodes.join(',') }, paged: false },
  { list: 'queues (counts)', path: '/api/queues', params: { columns: COLUMNS.queueCounts.join(',') }, paged: false },
  { list: 'consumers', path: '/api/consumers', params: { columns: COLUMNS.consumers.join(',') }, paged: false },
  { list: 'connections', path: '/api/connections', params: { columns: COLUMNS.connections.join(',') }, paged: true },
  { list: 'channels', path: '/api/channels', params: { columns: COLUMNS.channels.join(',') }, paged: true },
];

export const TOPOLOGY_LISTS = new Set(['vhosts', 'exchanges', 'bindings', 'queues (metadata)']);

/** A refresh on the fast cadence only (the topology is known): what the dashboard asks every REFRESH_INTERVAL_MS. */
export const COUNTS_REFRESH = FULL_REFRESH.filter((s) => !TOPOLOGY_LISTS.has(s.list));

/** Not lib/broker's requests: the same lists, each in one request (no paging). For comparison only. */
export const FULL_REFRESH_UNPAGED = FULL_REFRESH.map((s) => ({ ...s, paged: false }));

export async function floorRefresh(broker: Broker, specs: ListSpec[] = FULL_REFRESH): Promise<FloorRun> {
  const t0 = performance.now();
  const requests: RequestTiming[] = [];
  const listMs: Record<string, number> = {};

  const one = async (spec: ListSpec, page: number | null): Promise<unknown> => {
    const params = page === null ? spec.params : { ...spec.params, page, page_size: PAGE_SIZE };
    const start = performance.now();
    const r = await rawGet(broker, spec.path, params);
    const body = r.body as { items?: unknown[] } | unknown[];
    requests.push({
      list: spec.list,
      path: spec.path,
      page,
      startMs: start - t0,
      ms: performance.now() - start,
      wireBytes: r.wireBytes,
      bytes: r.bytes,
      encoding: r.encoding,
      items: Array.isArray(body) ? body.length : Array.isArray(body.items) ? body.items.length : 1,
    });
    return r.body;
  };

  const lists = await Promise.all(
    specs.map(async (spec): Promise<RawList> => {
      const answers: unknown[] = [];
      if (!spec.paged) {
        answers.push(await one(spec, null));
      } else {
        const first = (await one(spec, 1)) as { page_count: number };
        answers.push(first);
        const rest: number[] = [];
        for (let p = 2; p <= first.page_count; p++) rest.push(p);
        for (let i = 0; i < rest.length; i += PAGE_CONCURRENCY) {
          answers.push(...(await Promise.all(rest.slice(i, i + PAGE_CONCURRENCY).map((p) => one(spec, p)))));
        }
      }
      listMs[spec.list] = performance.now() - t0;
      return { list: spec.list, answers };
    }),
  );
  return { ms: performance.now() - t0, requests, lists, listMs };
}
