// POST: what is waiting in a queue, its first messages decoded (they are requeued, marked redelivered).
import { z } from 'zod';
import type { PeekResponse } from '@/lib/api/contract';
import { PeekError, peekQueue } from '@/lib/broker/peek';
import { PEEK_DEFAULT_COUNT, PEEK_MAX_COUNT } from '@/lib/domain/backlog';
import { actionsStatus } from '@/lib/server/actions';
import { logValue, runAction } from '@/lib/server/action-route';
import { HttpError, parse } from '@/lib/server/http';

const peekBody = z.object({ count: z.number().int().min(1).max(PEEK_MAX_COUNT).default(PEEK_DEFAULT_COUNT) }).strict();

export async function POST(req: Request, ctx: { params: Promise<{ cluster: string; vhost: string; name: string }> }) {
  const { cluster, vhost, name } = await ctx.params;
  return runAction(req, cluster, 'peek', async ({ cluster: c, body, describe }) => {
    describe(`vhost=${logValue(vhost)} queue=${logValue(name)}`);
    const { config } = c;
    const status = actionsStatus(config).peek;
    if (!status.enabled) throw new HttpError(409, status.reason ?? 'reading a backlog is off');
    const { count } = parse(peekBody, body, 'peek request');
    describe(`vhost=${logValue(vhost)} queue=${logValue(name)} count=${count}`);
    let result: PeekResponse;
    try {
      result = await peekQueue(c.client, { vhost, name, count, allowQuorum: status.allowQuorum });
    } catch (err) {
      if (err instanceof PeekError) throw new HttpError(err.httpStatus, err.message);
      throw err;
    }
    const methods = result.byMethod.map((m) => `${m.method}×${m.count}`).join(', ');
    return { body: result, result: `read and requeued ${result.messages.length} message(s)${methods ? `: ${methods}` : ''}` };
  });
}
