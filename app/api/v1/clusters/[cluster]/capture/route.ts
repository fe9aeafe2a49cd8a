// GET: an offline capture of this cluster as the requester sees it (gzipped JSON, a download).
import type { ApiError } from '@/lib/api/contract';
import { capture, captureFileName, CaptureError, encodeCapture } from '@/lib/server/capture';
import { getCluster } from '@/lib/server/clusters';
import { json, requirePrincipal } from '@/lib/server/http';
import { NoSnapshotError } from '@/lib/server/snapshot';

export async function GET(req: Request, ctx: { params: Promise<{ cluster: string }> }) {
  const { cluster: id } = await ctx.params;
  const who = requirePrincipal(req);
  if ('refusal' in who) return who.refusal;
  const cluster = getCluster(id, who.principal);
  if (!cluster) return json<ApiError>({ error: `no cluster named "${id}"`, status: null }, { status: 404 });
  try {
    await cluster.store.get();
    const c = capture(cluster);
    return new Response(new Uint8Array(encodeCapture(c)), {
      headers: {
        'content-type': 'application/gzip',
        'content-disposition': `attachment; filename="${captureFileName(c)}"`,
        'cache-control': 'no-store',
      },
    });
  } catch (err) {
    if (err instanceof NoSnapshotError || err instanceof CaptureError)
      return json<ApiError>({ error: `nothing to capture: ${err.message}`, status: cluster.store.status() }, { status: 503 });
    throw err;
  }
}
