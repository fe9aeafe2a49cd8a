// A small counting HTTP proxy in front of the management API: the dashboard server
// is pointed at it, and it records every request it passes on (path, time, bytes).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxiedRequest {
  /** The path without its query. */
  path: string;
  query: string;
  startedAt: number;
  endedAt: number | null;
  status: number;
  /** Body bytes as they came from the broker (compressed if it compressed). */
  bytes: number;
}

export interface CountingProxy {
  url: string;
  requests: ProxiedRequest[];
  close(): Promise<void>;
}

export async function startProxy(target: string): Promise<CountingProxy> {
  const base = new URL(target);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const requests: ProxiedRequest[] = [];
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const rec: ProxiedRequest = {
      path: q < 0 ? url : url.slice(0, q),
      query: q < 0 ? '' : url.slice(q + 1),
      startedAt: Date.now(),
      endedAt: null,
      status: 0,
      bytes: 0,
    };
    requests.push(rec);
    const headers = { ...req.headers, host: base.host };
    const upstream = http.request(
      { hostname: base.hostname, port: base.port || 80, path: `${base.pathname.replace(/\/+$/, '')}${url}`, method: req.method, headers, agent },
      (up) => {
        rec.status = up.statusCode ?? 0;
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.on('data', (c: Buffer) => {
          rec.bytes += c.length;
        });
        up.pipe(res);
        up.on('end', () => {
          rec.endedAt = Date.now();
        });
      },
    );
    upstream.on('error', (err) => {
      rec.status = 502;
      rec.endedAt = Date.now();
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`proxy: ${err.message}`);
    });
    req.pipe(upstream);
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
        agent.destroy();
      }),
  };
}

/** Requests in [from, to), grouped by path. */
export function countByPath(requests: ProxiedRequest[], from: number, to: number): { total: number; byPath: Record<string, number> } {
  const byPath: Record<string, number> = {};
  let total = 0;
  for (const r of requests) {
    if (r.startedAt < from || r.startedAt >= to) continue;
    total++;
    byPath[r.path] = (byPath[r.path] ?? 0) + 1;
  }
  return { total, byPath };
}

/** One full refresh asks /api/consumers exactly once; one topology read asks /api/bindings once. */
export function refreshesIn(requests: ProxiedRequest[], from: number, to: number): { refreshes: number; topologyReads: number } {
  let refreshes = 0;
  let topologyReads = 0;
  for (const r of requests) {
    if (r.startedAt < from || r.startedAt >= to) continue;
    if (r.path === '/api/consumers') refreshes++;
    if (r.path === '/api/bindings') topologyReads++;
  }
  return { refreshes, topologyReads };
}
