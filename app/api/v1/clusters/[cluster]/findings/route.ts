import { z } from 'zod';
import type { FindingsResponse } from '@/lib/api/contract';
import { countByRule, countBySeverity, isAbout } from '@/lib/domain/findings/engine';
import { RULES } from '@/lib/domain/findings/rules';
import { parse, searchParams, withSnapshot } from '@/lib/server/http';

const text = z.string().min(1).max(1024).optional();
/** `limit` for summaries (the header, the overview); `vhost`+`queue` or `process` for one subject's page. */
const query = z
  .object({ limit: z.coerce.number().int().min(0).max(10_000).optional(), vhost: text, queue: text, process: text })
  .strict()
  .refine((q) => !(q.queue && q.process), 'ask about a queue or a process, not both');

export async function GET(req: Request, ctx: { params: Promise<{ cluster: string }> }) {
  const { cluster } = await ctx.params;
  return withSnapshot(req, cluster, ({ cluster: c, status }): FindingsResponse => {
    const q = parse(query, searchParams(req.url), 'query');
    const { findings: all, resolved } = c.findings.current();
    const matching = all.filter((f) => isAbout(f, q));
    const counts = countBySeverity(all);
    return {
      status,
      findings: q.limit === undefined ? matching : matching.slice(0, q.limit),
      total: matching.length,
      byRule: countByRule(all),
      resolved: q.limit === undefined && !q.queue && !q.process ? resolved : [],
      counts,
      rules: RULES.map((r) => ({ id: r.id, description: r.description })),
      windowMs: c.thresholds.windowMs,
    };
  });
}
