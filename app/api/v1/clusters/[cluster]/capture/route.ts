// GET: an offline capture of this cluster's latest state as the requester sees it (gzipped JSON, a
// download), with the journal and history of `range` before it, as far as the requester may see them.
import { HISTORY_RANGES } from '@/lib/domain/vocabulary';
import { clusterRoute } from '@/lib/server/api';
import { capture, captureFileName, encodeCapture } from '@/lib/server/capture';
import { captureQuery } from '@/lib/server/params';
import { captureTime } from '@/lib/server/store-answers';

export const GET = clusterRoute({ query: captureQuery }, async ({ cluster, state, query, memory }) => {
  const { store } = await memory();
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
