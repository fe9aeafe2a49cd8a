// The time a running dashboard takes to answer its endpoints, one request after another:
//   npm run bench:requests -- --url http://127.0.0.1:3000 [--runs 30] [--path /metrics ...]
// Waits until the dashboard has read its broker, asks each path once to warm up, then `runs`
// times, and prints the median, 90th percentile and largest answer time of each, with the
// answer's size. Point it at a dashboard on a cloud of the size you care about (the bench
// broker and `sim/scale-cli.ts`, see docs/performance.md); nothing is asserted.
import { parseArgs } from 'node:util';
import { median, percentile } from './stats';

const DEFAULT_PATHS = ['/api/v1/clusters/default/services', '/metrics', '/api/v1/clusters/default/overview', '/api/v1/clusters/default/findings?limit=0'];

async function timed(url: string): Promise<{ ms: number; bytes: number; status: number }> {
  const t0 = performance.now();
  const res = await fetch(url);
  const body = await res.arrayBuffer();
  return { ms: performance.now() - t0, bytes: body.byteLength, status: res.status };
}

async function main() {
  const { values } = parseArgs({ options: { url: { type: 'string' }, runs: { type: 'string', default: '30' }, path: { type: 'string', multiple: true } } });
  if (!values.url) throw new Error('--url of a running dashboard is required');
  const base = values.url.replace(/\/+$/, '');
  const runs = Number(values.runs);
  const paths = values.path?.length ? values.path : DEFAULT_PATHS;
  for (let waited = 0; ; waited += 1000) {
    const first = await timed(`${base}/api/v1/clusters/default/overview`).catch(() => null);
    if (first?.status === 200) break;
    if (waited > 300_000) throw new Error('the dashboard has not read its broker in 5 min');
    await new Promise((r) => setTimeout(r, 1000));
  }
  console.log(`${base}, ${runs} requests each, one at a time`);
  for (const p of paths) {
    await timed(`${base}${p}`);
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < runs; i++) {
      const r = await timed(`${base}${p}`);
      if (r.status !== 200) throw new Error(`${p} answered ${r.status}`);
      times.push(r.ms);
      bytes = r.bytes;
    }
    console.log(
      `  ${p.padEnd(48)} median ${median(times).toFixed(1).padStart(7)} ms   p90 ${percentile(times, 90).toFixed(1).padStart(7)} ms   max ${Math.max(...times).toFixed(1).padStart(7)} ms   ${(bytes / 1024).toFixed(1)} kB`,
    );
  }
}

main().catch((err: unknown) => {
  console.error(`[bench:requests] ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
});
