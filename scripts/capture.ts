// npm run snapshot -- [--cluster ID] --out FILE.json.gz
// Reads one cluster of the configuration (DASHBOARD_CONFIG, or the environment's `default`)
// as the dashboard does, long enough for findings to pass their grace period, and writes an
// offline capture: what was read, the findings, the overview's history (the dashboard's own download
// carries the journal and the store's history too). No password goes in it (they
// stay in the configuration) and no message body (the dashboard reads none on its own).
// Open it with a DASHBOARD_CONFIG cluster `{ id: …, capture: FILE.json.gz }`.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { capture, encodeCapture } from '@/lib/server/capture';
import { createRoot } from '@/lib/server/root';
import { parseConfig } from '@/lib/server/config';

function fail(message: string): never {
  console.error(`snapshot: ${message}`);
  process.exit(2);
}

async function main() {
  // A one-shot read writes nothing to the dashboard's store (a running dashboard writes it); the
  // overview's download, or /capture?range=, carries the journal and history.
  process.env.HISTORY_STORE = 'off';
  const { values } = parseArgs({ options: { cluster: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean' } }, strict: true });
  if (values.help || !values.out) fail('usage: npm run snapshot -- [--cluster ID] --out FILE.json.gz');
  let config;
  try {
    config = parseConfig(process.env);
  } catch (err) {
    fail((err as Error).message);
  }
  const id = values.cluster ?? config.clusters[0]!.id;
  const cluster = createRoot(config).clusters.get(id);
  const settings = config.clusters.find((c) => c.id === id);
  if (!cluster || !settings) fail(`no cluster ${id} (there are: ${config.clusters.map((c) => c.id).join(', ')})`);
  if (!cluster.live) fail(`cluster ${id} is itself a capture`);

  // Findings count only once a condition has lasted the grace period, and a queue has been known for
  // the settle time (to this reader, every queue is new): read until both have passed.
  const started = Date.now();
  const readForMs = Math.max(config.findings.graceMs, config.findings.settleMs) + settings.refreshIntervalMs;
  console.log(`snapshot: reading ${id} (${cluster.managementUrl()}) for ${Math.round(readForMs / 1000)} s, so findings can settle`);
  let state;
  for (;;) {
    state = await cluster.read().catch((err: Error) => fail(err.message));
    if (state.at - started >= readForMs) break;
    await new Promise((r) => setTimeout(r, Math.min(1000, settings.refreshIntervalMs)));
  }
  const c = capture({ id: cluster.id, name: cluster.name, managementUrl: cluster.managementUrl() }, state);
  const file = encodeCapture(c);
  writeFileSync(values.out, file);
  const open = c.findings.open.length;
  console.log(
    `snapshot: ${values.out}: ${c.inputs.queues.length} queues, ${c.inputs.connections.length} connections, ${open} finding${open === 1 ? '' : 's'}, ${Math.round(file.length / 1024)} kB`,
  );
  process.exit(0);
}

void main();
