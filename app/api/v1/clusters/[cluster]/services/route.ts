import { z } from 'zod';
import type { ServicesResponse } from '@/lib/api/contract';
import { buildServiceRows, SERVICE_STATUSES, serviceList } from '@/lib/domain/services';
import { actionsStatus } from '@/lib/server/actions';
import { getConfig } from '@/lib/server/config';
import { parse, searchParams, withSnapshot } from '@/lib/server/http';

const text = z.string().max(1024).optional().transform((v) => (v === '' ? undefined : v));
const query = z
  .object({
    component: text,
    topic: text,
    vhost: text,
    q: text,
    status: z.enum([...SERVICE_STATUSES, 'trouble']).optional(),
    limitPerGroup: z.coerce.number().int().min(0).max(100_000).default(100),
  })
  .strict();

export async function GET(req: Request, ctx: { params: Promise<{ cluster: string }> }) {
  const { cluster } = await ctx.params;
  return withSnapshot(cluster, ({ cluster: c, topology, status }): ServicesResponse => {
    const f = parse(query, searchParams(req.url), 'query');
    const rows = buildServiceRows(topology, c.findings.current().findings, c.findings);
    return { status, ...serviceList(rows, f), probe: actionsStatus(getConfig()).probe };
  });
}
