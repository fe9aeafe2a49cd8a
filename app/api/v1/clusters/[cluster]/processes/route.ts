import { z } from 'zod';
import type { ProcessesResponse } from '@/lib/api/contract';
import { listProcesses } from '@/lib/domain/views';
import { parse, searchParams, withSnapshot } from '@/lib/server/http';

const query = z
  .object({
    q: z.string().max(1024).optional(),
    limit: z.coerce.number().int().min(0).max(100_000).default(500),
  })
  .strict();

export async function GET(req: Request, ctx: { params: Promise<{ cluster: string }> }) {
  const { cluster } = await ctx.params;
  return withSnapshot(cluster, ({ topology, status }): ProcessesResponse => {
    const f = parse(query, searchParams(req.url), 'query');
    return { status, ...listProcesses(topology, f) };
  });
}
