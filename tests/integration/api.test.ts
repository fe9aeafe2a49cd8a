// The API's own rules, through its route handlers against the real broker: every parameter an
// endpoint documents is applied by the server, any other is refused with the list of those it
// takes, and every answer has the shape its schema declares (the browser checks the same).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FindingsResponse, findingsResponse, overviewResponse, processesResponse, queuesResponse } from '@/lib/api/schemas';
import { admin, createTestVhost, deleteTestVhost, eventually } from '../helpers/broker';

let cellA: string;
let cellB: string;
type Route = { GET: (req: Request, ctx: { params: Promise<{ cluster: string }> }) => Promise<Response> };
let routes: Record<'overview' | 'queues' | 'findings' | 'processes' | 'exchanges', Route>;

async function get(route: keyof typeof routes, query = '') {
  const res = await routes[route].GET(new Request(`http://dashboard.test/api/v1/clusters/default/${route}${query}`), { params: Promise.resolve({ cluster: 'default' }) });
  return { httpStatus: res.status, body: (await res.json()) as Record<string, unknown> };
}

/** A reply queue nobody consumes, the way a dead process leaves it. */
const orphan = (vhost: string, hex: string) =>
  admin.put(`/api/queues/${encodeURIComponent(vhost)}/reply_${hex}`, { durable: false, auto_delete: false, arguments: { 'x-expires': 1_800_000 } });

beforeAll(async () => {
  cellA = await createTestVhost('api-a');
  cellB = await createTestVhost('api-b');
  await orphan(cellA, 'a'.repeat(32));
  await orphan(cellB, 'b'.repeat(32));
  process.env.FINDINGS_GRACE_MS = '0';
  process.env.REFRESH_INTERVAL_MS = '1000';
  routes = {
    overview: await import('@/app/api/v1/clusters/[cluster]/overview/route'),
    queues: await import('@/app/api/v1/clusters/[cluster]/queues/route'),
    findings: await import('@/app/api/v1/clusters/[cluster]/findings/route'),
    processes: await import('@/app/api/v1/clusters/[cluster]/processes/route'),
    exchanges: await import('@/app/api/v1/clusters/[cluster]/exchanges/route'),
  };
});

afterAll(async () => {
  if (cellA) await deleteTestVhost(cellA);
  if (cellB) await deleteTestVhost(cellB);
});

describe('the API', () => {
  it('answers in the shapes its schemas declare', async () => {
    expect(overviewResponse.safeParse((await get('overview')).body).success).toBe(true);
    expect(queuesResponse.safeParse((await get('queues', `?vhost=${cellA}`)).body).success).toBe(true);
    expect(findingsResponse.safeParse((await get('findings')).body).success).toBe(true);
    expect(processesResponse.safeParse((await get('processes')).body).success).toBe(true);
  });

  it('narrows findings to a vhost when only the vhost is given', async () => {
    const about = (vhost: string) => `reply_${(vhost === cellA ? 'a' : 'b').repeat(32)}`;
    const inCell = async (vhost: string) => {
      const { body } = await get('findings', `?vhost=${encodeURIComponent(vhost)}`);
      return (body as FindingsResponse).findings;
    };
    const a = await eventually(async () => {
      const f = await inCell(cellA);
      return f.length > 0 ? f : null;
    });
    expect(a.map((f) => f.subject)).toEqual([{ type: 'queue', vhost: cellA, name: about(cellA) }]);
    expect((await inCell(cellB)).map((f) => f.subject)).toEqual([{ type: 'queue', vhost: cellB, name: about(cellB) }]);
    // Unscoped, both are there.
    const all = ((await get('findings')).body as FindingsResponse).findings.map((f) => f.subject);
    expect(all).toEqual(expect.arrayContaining([expect.objectContaining({ vhost: cellA }), expect.objectContaining({ vhost: cellB })]));
  });

  it('refuses a parameter an endpoint does not take, naming those it takes', async () => {
    expect(await get('queues', '?vhost=x&colour=red')).toMatchObject({
      httpStatus: 400,
      body: { error: 'unknown query parameter "colour": it takes kind, component, host, vhost, q, sort, order, page, pageSize' },
    });
    expect(await get('overview', '?verbose=1')).toMatchObject({ httpStatus: 400, body: { error: 'unknown query parameter "verbose": it takes none' } });
    expect(await get('exchanges', '?name=nova')).toMatchObject({ httpStatus: 400, body: { error: 'unknown query parameter "name": it takes group, vhost, q' } });
    expect(await get('queues', '?q=a&q=b')).toMatchObject({ httpStatus: 400, body: { error: 'query parameter given more than once: q' } });
    expect(await get('queues', '?kind=bogus')).toMatchObject({ httpStatus: 400, body: { error: expect.stringMatching(/^invalid query: kind: /) } });
  });

  it('matches exchanges on what the page shows of them: name, type, vhost, component', async () => {
    const names = async (query: string) => ((await get('exchanges', query)).body as { items: { name: string; vhost: string }[] }).items.filter((e) => e.vhost === cellA).map((e) => e.name);
    expect(await names(`?q=${encodeURIComponent(cellA)}`)).toContain('amq.topic');
    expect(await names('?q=headers')).toEqual(['amq.headers', 'amq.match']);
  });
});
