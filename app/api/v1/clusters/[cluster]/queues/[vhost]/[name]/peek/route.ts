// POST: what is waiting in a queue, its first messages decoded (they are requeued, marked redelivered).
import { z } from 'zod';
import type { PeekResponse } from '@/lib/api/schemas';
import { toPeekedMessage } from '@/lib/api/answers';
import { peekQueue, PeekRefused } from '@/lib/broker/peek';
import { PEEK_DEFAULT_COUNT, PEEK_MAX_COUNT } from '@/lib/domain/backlog';
import { actionRoute, logValue } from '@/lib/server/api';
import { ApiFailure } from '@/lib/server/errors';
import { parse } from '@/lib/server/params';

const peekBody = z.object({ count: z.number().int().min(1).max(PEEK_MAX_COUNT).default(PEEK_DEFAULT_COUNT) }).strict();

export const POST = actionRoute('peek', { segments: ['vhost', 'name'] }, async ({ cluster, params: { vhost, name }, body, describe }) => {
  describe(`vhost=${logValue(vhost)} queue=${logValue(name)}`);
  const settings = cluster.actions.peek;
  if (!settings.enabled || cluster.source.kind !== 'broker') throw new ApiFailure('action-disabled', settings.enabled ? 'an offline capture: nothing can be read from it' : settings.reason);
  const { count } = parse(peekBody, body, 'peek request');
  describe(`vhost=${logValue(vhost)} queue=${logValue(name)} count=${count}`);
  let result;
  try {
    result = await peekQueue(cluster.source.client, { vhost, name, count, allowQuorum: settings.allowQuorum });
  } catch (err) {
    if (err instanceof PeekRefused && err.reason === 'quorum')
      throw new PeekRefused(err.reason, `${err.message}. Set PEEK_ALLOW_QUORUM=true (in DASHBOARD_CONFIG: actions.peekAllowQuorum) to allow it anyway`);
    throw err;
  }
  const answer: PeekResponse = { ...result, messages: result.messages.map(toPeekedMessage) };
  const methods = result.byMethod.map((m) => `${m.method}×${m.count}`).join(', ');
  return { body: answer, result: `read and requeued ${result.messages.length} message(s)${methods ? `: ${methods}` : ''}` };
});
