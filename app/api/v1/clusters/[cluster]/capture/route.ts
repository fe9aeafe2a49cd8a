// GET: an offline capture of this cluster's latest state as the requester sees it (gzipped JSON, a download).
import { clusterRoute } from '@/lib/server/api';
import { capture, captureFileName, encodeCapture } from '@/lib/server/capture';
import { noQuery } from '@/lib/server/params';

export const GET = clusterRoute({ query: noQuery }, ({ cluster, state }) => {
  const c = capture({ id: cluster.id, name: cluster.name, managementUrl: cluster.managementUrl() }, state);
  return new Response(new Uint8Array(encodeCapture(c)), {
    headers: {
      'content-type': 'application/gzip',
      'content-disposition': `attachment; filename="${captureFileName(c)}"`,
      'cache-control': 'no-store',
    },
  });
});
