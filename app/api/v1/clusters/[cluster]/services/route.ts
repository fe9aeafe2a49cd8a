import { z } from 'zod';
import type { ServicesResponse } from '@/lib/api/contract';
import { buildServiceRows, type ServiceStatus } from '@/lib/domain/services';
import { actionsStatus } from '@/lib/server/actions';
import { getConfig } from '@/lib/server/config';
import { parse, searchParams, withSnapshot } from '@/lib/server/http';

const query = z
  .object({ component: z.string().max(1024).optional(), topic: z.string().max(1024).optional(), vhost: z.string().max(1024).optional() })
  .strict();
const STATUSES: ServiceStatus[] = ['ok', 'not-consuming', 'stuck', 'down', 'backlog'];

export async function GET(req: Request, ctx: { params: Promise<{ cluster: string }> }) {
  const { cluster } = await ctx.params;
  return withSnapshot(cluster, ({ cluster: c, topology, status }): ServicesResponse => {
    const f = parse(query, searchParams(req.url), 'query');
    const rows = buildServiceRows(topology, c.findings.current().findings, c.findings).filter(
      (r) => (!f.component || r.component === f.component) && (!f.topic || r.topic === f.topic) && (!f.vhost || r.vhost === f.vhost),
    );
    const counts = Object.fromEntries(STATUSES.map((s) => [s, rows.filter((r) => r.status === s).length])) as ServicesResponse['counts'];
    return { status, rows, counts, probe: actionsStatus(getConfig()).probe };
  });
}
