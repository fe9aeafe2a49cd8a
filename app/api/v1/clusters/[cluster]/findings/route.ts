import { findingsResponse } from '@/lib/api/answers';
import { clusterRoute } from '@/lib/server/api';
import { findingsQuery } from '@/lib/server/params';

const DAY = 86_400_000;

export const GET = clusterRoute({ query: findingsQuery }, async ({ state, status, query, memory }) => {
  const answer = findingsResponse(state, status, query);
  // What the dashboard remembers says how often each was raised in the last day.
  const times = await (await memory()).timesRaised(state.at - DAY, state.at);
  return { ...answer, findings: answer.findings.map((f) => ({ ...f, raised24h: times ? (times.get(f.id) ?? 0) : null })) };
});
