// GET: an offline capture of this cluster's latest state as the requester sees it (gzipped JSON, a
// download), with the journal and history of `range` before it where the dashboard keeps a store.
import { clusterRoute } from '@/lib/server/api';
import { capture, captureFileName, encodeCapture } from '@/lib/server/capture';
import { captureQuery, HISTORY_RANGES } from '@/lib/server/params';
import { captureTime } from '@/lib/server/remembered';
import { historyStore } from '@/lib/server/store';

export const GET = clusterRoute({ query: captureQuery }, async ({ cluster, state, query }) => {
  const store = cluster.source.kind === 'capture' ? cluster.source.remembered() : historyStore();
  const time = store ? await captureTime(store, cluster.id, state, state.at - HISTORY_RANGES[query.range], state.at) : null;
  const c = capture({ id: cluster.id, name: cluster.name, managementUrl: cluster.managementUrl() }, state, time ?? undefined);
  return new Response(new Uint8Array(encodeCapture(c)), {
    headers: {
      'content-type': 'application/gzip',
      'content-disposition': `attachment; filename="${captureFileName(c)}"`,
      'cache-control': 'no-store',
    },
  });
});
