import { findingsResponse } from '@/lib/api/answers';
import { clusterRoute } from '@/lib/server/api';
import { findingsQuery } from '@/lib/server/params';
import { timesRaised } from '@/lib/server/remembered';
import { historyStore } from '@/lib/server/store';

const DAY = 86_400_000;

export const GET = clusterRoute({ query: findingsQuery }, async ({ cluster, state, status, query }) => {
  const answer = findingsResponse(state, status, query);
  // A live cluster's store says how often each was raised in the last day (an offline capture has none).
  const times = cluster.capturedAt() === null ? await timesRaised(historyStore(), cluster.id, state.at - DAY, state.at) : null;
  return { ...answer, findings: answer.findings.map((f) => ({ ...f, raised24h: times ? (times.get(f.id) ?? 0) : null })) };
});
