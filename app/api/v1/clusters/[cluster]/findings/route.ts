import type { FindingsResponse } from '@/lib/api/contract';
import { SEVERITY_ORDER } from '@/lib/domain/findings/engine';
import { RULES } from '@/lib/domain/findings/rules';
import { withSnapshot } from '@/lib/server/http';

export async function GET(_req: Request, ctx: { params: Promise<{ cluster: string }> }) {
  const { cluster } = await ctx.params;
  return withSnapshot(cluster, ({ cluster: c, status }): FindingsResponse => {
    const { findings, resolved } = c.findings.current();
    const counts = Object.fromEntries(SEVERITY_ORDER.map((s) => [s, findings.filter((f) => f.severity === s).length])) as FindingsResponse['counts'];
    return {
      status,
      findings,
      resolved,
      counts,
      rules: RULES.map((r) => ({ id: r.id, description: r.description })),
      windowMs: c.thresholds.windowMs,
    };
  });
}
