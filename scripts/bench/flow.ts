// npm run bench:flow -- [--hosts 1000] [--runs 5]
// The flow picture at scale: nova/compute of a cloud of N compute hosts (one of them up but
// not consuming), opened as an offline capture in the built dashboard, drawn in Chromium.
// Prints the server's time to build and lay out the picture, and the browser's time from
// navigation to the drawn diagram, grouped and with the healthy group opened (40 shown).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CAPTURE_FORMAT, CAPTURE_VERSION, encodeCapture } from '@/lib/server/capture';
import { novaComputeCloud } from '@/lib/testing/builders';
import { launchBrowser } from './browser';
import { cleanupAll, installSignalHandlers, onCleanup, runStamp, stopTracked } from './procs';
import { buildNeeded, freePort, nextBuild, startDashboard } from './server';
import { median } from './stats';

const ROOT = path.resolve(__dirname, '../..');

async function main() {
  const { values } = parseArgs({ options: { hosts: { type: 'string', default: '1000' }, runs: { type: 'string', default: '5' } } });
  const hosts = Number(values.hosts);
  const runs = Number(values.runs);
  if (!Number.isInteger(hosts) || hosts < 1 || !Number.isInteger(runs) || runs < 1) throw new Error('--hosts and --runs take positive integers');
  installSignalHandlers();
  const stamp = `flow-${hosts}h-${runStamp()}`;
  const out = path.join(ROOT, 'artifacts/bench', stamp);
  mkdirSync(out, { recursive: true });
  const log = (line: string) => console.log(`[bench:flow] ${line}`);

  const why = buildNeeded();
  if (why) {
    log(`building first: ${why}`);
    await nextBuild(path.join(out, 'build.log'));
  }

  const inputs = novaComputeCloud(hosts, [Math.max(1, Math.floor(hosts / 2))]);
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'lens-flow-')), 'cloud.json.gz');
  writeFileSync(
    file,
    encodeCapture({
      format: CAPTURE_FORMAT,
      version: CAPTURE_VERSION,
      capturedAt: Date.now(),
      cluster: { id: 'scale', name: `${hosts} compute hosts`, managementUrl: 'synthetic' },
      inputs,
      warnings: [],
      findings: { open: [], resolved: [], consumersOf: [], hostOf: [] },
      history: [],
    }),
  );
  const config = path.join(path.dirname(file), 'clusters.yaml');
  writeFileSync(config, `clusters:\n  - { id: scale, capture: ${file} }\n`);
  const port = await freePort();
  const server = await startDashboard({ port, managementUrl: 'http://127.0.0.1:1', username: 'x', password: 'x', env: { DASHBOARD_CONFIG: config }, log: path.join(out, 'server.log') });
  onCleanup('dashboard', () => stopTracked(server.proc));
  log(`${hosts} hosts: ${inputs.queues.length} queues, ${inputs.connections.length} connections, served on :${port}`);

  const api = `${server.url}/api/v1/clusters/scale/components/nova/flow?topic=compute&vhost=%2F`;
  const apiTimes: Record<string, number[]> = { grouped: [], expanded: [] };
  for (let i = 0; i < runs + 1; i++) {
    for (const [name, extra] of [['grouped', ''], ['expanded', '&expand=server:healthy']] as const) {
      const t0 = performance.now();
      const res = await fetch(`${api}${extra}`);
      if (!res.ok) throw new Error(`flow API answered ${res.status}: ${await res.text()}`);
      await res.arrayBuffer();
      if (i > 0) apiTimes[name]!.push(performance.now() - t0); // the first one warms up
    }
  }

  const browser = await launchBrowser();
  onCleanup('chromium', () => browser.close());
  const pageTimes: Record<string, number[]> = { grouped: [], expanded: [] };
  const boxes: Record<string, number> = {};
  for (let i = 0; i < runs + 1; i++) {
    for (const [name, extra] of [['grouped', ''], ['expanded', '&expand=server:healthy']] as const) {
      const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
      const t0 = performance.now();
      await page.goto(`${server.url}/c/scale/components/nova/flow?topic=compute&vhost=%2F${extra}`);
      await page.locator('[data-testid=flow-diagram] [data-node="exchange:nova"]').waitFor({ timeout: 60_000 });
      if (i > 0) pageTimes[name]!.push(performance.now() - t0);
      boxes[name] = await page.locator('[data-testid=flow-diagram] [data-node]').count();
      if (i === runs) await page.screenshot({ path: path.join(ROOT, 'artifacts/screenshots', `flow-${hosts}h-${name}.png`), fullPage: true });
      await page.close();
    }
  }

  const ms = (xs: number[]) => `median ${Math.round(median(xs))} ms, max ${Math.round(Math.max(...xs))} ms`;
  console.log(`\nflow picture of nova/compute, ${hosts} compute hosts (${runs} runs each)`);
  for (const name of ['grouped', 'expanded'] as const) {
    console.log(`  ${name.padEnd(9)} boxes ${String(boxes[name]).padStart(3)}   API (build + layout) ${ms(apiTimes[name]!)}   drawn in Chromium ${ms(pageTimes[name]!)}`);
  }
  console.log(`  screenshots: artifacts/screenshots/flow-${hosts}h-grouped.png, -expanded.png; logs in ${path.relative(ROOT, out)}`);
}

main()
  .catch((err: unknown) => {
    console.error(`[bench:flow] ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  })
  .finally(() => cleanupAll());
