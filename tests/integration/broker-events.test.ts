// The broker's events as a source, against the real broker with rabbitmq_event_exchange: a
// dashboard's cluster follows them, so a lost RPC server, a closed connection, a deleted queue and
// a changed policy are in its state within a second or two, between two readings of the counts
// (which come every 10 s here), journalled at the broker's own time.
import { randomUUID } from 'node:crypto';
import amqp, { type ChannelModel } from 'amqplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManagementClient } from '@/lib/broker/management-client';
import { DEFAULT_THRESHOLDS } from '@/lib/domain/findings/types';
import { digest, type JournalEntry, journalBetween } from '@/lib/domain/journal';
import type { ClusterState } from '@/lib/domain/state';
import { type Cluster, createCluster } from '@/lib/server/cluster';
import { brokerSource } from '@/lib/server/sources';
import { admin, AMQP_HOST, AMQP_PORT, amqpUrl, createTestVhost, deleteTestVhost, eventually, MANAGEMENT_URL } from '../helpers/broker';

const PROMETHEUS_URL = process.env.RABBITMQ_PROMETHEUS_URL ?? 'http://127.0.0.1:15692';
/** Counts are read this seldom here: what shows sooner came from the events. */
const COUNTS_INTERVAL_MS = 10_000;

let vhost: string;
let cluster: Cluster;
const connections: ChannelModel[] = [];
const journal: JournalEntry[] = [];
let latest: ClusterState | null = null;
let server: { channel: amqp.Channel; tag: string };
const warningsSeen = new Set<string>();

const osloName = (binary: string) => `${binary}:${process.pid}:${randomUUID()}`;

async function connect(binary: string) {
  const conn = await amqp.connect(amqpUrl(vhost), { clientProperties: { connection_name: osloName(binary) } });
  connections.push(conn);
  return { conn, channel: await conn.createChannel() };
}

/** The latest state once `check` holds of it. */
async function stateWhere(check: (s: ClusterState) => boolean, timeoutMs = 8000): Promise<ClusterState> {
  return eventually(async () => (latest && check(latest) ? latest : null), timeoutMs, 50);
}

const queue = (s: ClusterState, name: string) => s.topology.index.queue(vhost, name);

beforeAll(async () => {
  const exchange = await admin.get('/api/exchanges/%2F/amq.rabbitmq.event', { validateStatus: () => true });
  if (exchange.status !== 200) throw new Error(`the broker at ${MANAGEMENT_URL} has no amq.rabbitmq.event: enable rabbitmq_event_exchange (scripts/setup.sh does)`);
  vhost = await createTestVhost('events');
  // An RPC server as oslo.messaging declares it, there before the dashboard reads the topology.
  const { channel } = await connect('nova-compute');
  await channel.assertExchange('nova', 'topic', { durable: false });
  for (const name of ['compute', 'compute.hv-2']) {
    await channel.assertQueue(name, { durable: false });
    await channel.bindQueue(name, 'nova', name);
  }
  await channel.consume('compute', () => undefined);
  server = { channel, tag: (await channel.consume('compute.hv-2', () => undefined)).consumerTag };
  const client = new ManagementClient({ baseUrl: MANAGEMENT_URL, username: 'guest', password: 'guest', timeoutMs: 20_000 });
  const source = brokerSource({
    client,
    prometheus: { urls: [PROMETHEUS_URL] },
    topologyIntervalMs: 600_000,
    refreshIntervalMs: COUNTS_INTERVAL_MS,
    requestTimeoutMs: 20_000,
    events: { amqpUrl: `amqp://guest:guest@${AMQP_HOST}:${AMQP_PORT}/` },
  });
  cluster = createCluster({
    id: 'events',
    name: 'events',
    managementUrl: MANAGEMENT_URL,
    source,
    actions: { probe: { enabled: false, reason: 'not in this test' }, peek: { enabled: false, reason: 'not in this test' } },
    thresholds: DEFAULT_THRESHOLDS,
    historySamples: 60,
    refreshIntervalMs: COUNTS_INTERVAL_MS,
    topologyIntervalMs: 600_000,
    watch: 'always',
  });
  let before: ReturnType<typeof digest> | null = null;
  cluster.subscribe((event) => {
    if (event.outcome !== 'ok') return;
    const now = digest(event.state);
    if (before) journal.push(...journalBetween(before, now));
    before = now;
    latest = event.state;
    for (const w of event.state.warnings) warningsSeen.add(w);
  });
  await cluster.read();
  await eventually(async () => source.events?.status().state === 'live', 20_000, 100);
}, 60_000);

afterAll(async () => {
  for (const c of connections) await c.close().catch(() => undefined);
  await cluster?.stop();
  if (vhost) await deleteTestVhost(vhost);
});

describe("the broker's events, followed", () => {
  it('a consumer lost is in the state within seconds, journalled at the broker’s time; the counts are not read again for it', async () => {
    const { channel } = await connect('nova-compute');
    await channel.assertQueue('compute.hv-1', { durable: false, arguments: { 'x-expires': 1_800_000 } });
    const { consumerTag } = await channel.consume('compute.hv-1', () => undefined);
    const gained = await stateWhere((s) => (queue(s, 'compute.hv-1')?.consumers ?? 0) === 1, 15_000);
    const countsAt = gained.identityAt;

    const cancelledAt = Date.now();
    await channel.cancel(consumerTag);
    const lost = await stateWhere((s) => queue(s, 'compute.hv-1')?.consumers === 0);
    expect(lost.at - cancelledAt).toBeLessThan(COUNTS_INTERVAL_MS);
    // Who consumes was not read whole for it.
    expect(lost.identityAt).toBe(countsAt);
    const entry = await eventually(async () => journal.find((e) => e.kind === 'consumer-lost' && e.queue === 'compute.hv-1'), 5000, 50);
    expect(Math.abs(entry.at - cancelledAt)).toBeLessThan(500);
    expect(entry.binary).toBe('nova-compute');
  });

  it('an RPC server that stops consuming while its process stays connected is named, confirmed without waiting for the counts', async () => {
    await stateWhere((s) => (queue(s, 'compute.hv-2')?.consumers ?? 0) === 1 && queue(s, 'compute.hv-2')?.kind === 'rpc-server', 15_000);
    // Long enough known that a new queue's settling time is over.
    await new Promise((r) => setTimeout(r, DEFAULT_THRESHOLDS.settleMs));
    const cancelledAt = Date.now();
    await server.channel.cancel(server.tag);
    const named = await stateWhere((s) => s.findings.open.some((f) => f.rule === 'rpc-server-unconsumed' && f.subject.type === 'queue' && f.subject.name === 'compute.hv-2'));
    const finding = named.findings.open.find((f) => f.subject.type === 'queue' && f.subject.name === 'compute.hv-2')!;
    expect(finding.title).toMatch(/up but does nothing/);
    expect(named.at - cancelledAt).toBeLessThan(DEFAULT_THRESHOLDS.graceMs + 2000);
  });

  it('a connection closed, a queue deleted and a policy changed are in the state before the next reading of the counts', async () => {
    const { conn, channel } = await connect('nova-conductor');
    await channel.assertQueue('conductor.ctl-1', { durable: false });
    await channel.consume('conductor.ctl-1', () => undefined);
    await channel.assertQueue('scratch', { durable: false });
    await stateWhere((s) => (queue(s, 'conductor.ctl-1')?.consumers ?? 0) === 1 && queue(s, 'scratch') !== undefined, 15_000);

    const deletedAt = Date.now();
    await channel.deleteQueue('scratch');
    await stateWhere((s) => queue(s, 'scratch') === undefined);
    const deleted = await eventually(async () => journal.find((e) => e.kind === 'queue-deleted' && e.queue === 'scratch'), 5000, 50);
    expect(Math.abs(deleted.at - deletedAt)).toBeLessThan(500);

    await admin.put(`/api/policies/${encodeURIComponent(vhost)}/limit-scratch`, { pattern: '^scratch$', definition: { 'max-length': 10 }, 'apply-to': 'queues' });
    await stateWhere((s) => (s.inputs.policies ?? []).some((p) => p.vhost === vhost && p.name === 'limit-scratch'));

    const closedAt = Date.now();
    await conn.close();
    const closed = await stateWhere((s) => !s.topology.processes.some((p) => p.binary === 'nova-conductor' && p.vhosts.includes(vhost)));
    expect(closed.at - closedAt).toBeLessThan(COUNTS_INTERVAL_MS);
    const entry = await eventually(async () => journal.find((e) => e.kind === 'connection-closed' && e.binary === 'nova-conductor'), 5000, 50);
    expect(Math.abs(entry.at - closedAt)).toBeLessThan(500);
  });

  it('its connection closed by the broker: a whole read reconciles what happened meanwhile, journalled once, and says so', async () => {
    const { channel } = await connect('nova-scheduler');
    await channel.assertQueue('scheduler.ctl-1', { durable: false });
    const { consumerTag } = await channel.consume('scheduler.ctl-1', () => undefined);
    await stateWhere((s) => (queue(s, 'scheduler.ctl-1')?.consumers ?? 0) === 1, 15_000);
    const before = latest!.identityAt;

    const feed = await eventually(async () => (await admin.get<{ name: string; client_properties?: { connection_name?: string } }[]>('/api/connections')).data.find((c) => c.client_properties?.connection_name?.startsWith('rabbit-lens-events:')), 10_000);
    await admin.delete(`/api/connections/${encodeURIComponent(feed.name)}`, { headers: { 'X-Reason': 'a test cuts the event feed' } });
    // What happens while the feed is away is not told by it.
    await channel.cancel(consumerTag);
    // Said, and read whole, by the next reading of the counts (every 10 s here).
    await eventually(async () => [...warningsSeen].some((w) => /the broker.s events were missed \(the event feed reconnected/.test(w)), 60_000, 100);
    const after = await stateWhere((s) => s.identityAt !== before && queue(s, 'scheduler.ctl-1')?.consumers === 0, 60_000);
    expect(after.identityAt).toBeGreaterThan(before!);
    await new Promise((r) => setTimeout(r, 2000));
    expect(journal.filter((e) => e.kind === 'consumer-lost' && e.queue === 'scheduler.ctl-1')).toHaveLength(1);
    expect(journal.filter((e) => e.kind === 'consumer-gained' && e.queue === 'scheduler.ctl-1')).toHaveLength(1);
  });
});
