// POST: the RPC ping of one service on one host (an oslo.messaging call to `<topic>.<server>`).
import { z } from 'zod';
import { actionRoute } from '@/lib/server/api';
import { parse } from '@/lib/server/params';

const name = z.string().min(1).max(255);
const probeBody = z
  .object({
    topic: name,
    server: name,
    exchange: name.optional(),
    vhost: name.optional(),
    timeoutMs: z.number().int().min(100).max(30_000).optional(),
  })
  .strict();

export const POST = actionRoute('probe', {}, async ({ actions, body, describe }) => {
  actions.ensureEnabled('probe');
  const result = await actions.ping(parse(probeBody, body, 'probe request'), describe);
  return { body: result, result: `${result.status}${result.latencyMs !== null ? ` ${result.latencyMs} ms` : ''}: ${result.detail}` };
});
