// POST: what is waiting in a queue, its first messages decoded (they are requeued, marked redelivered).
import { z } from 'zod';
import type { PeekResponse } from '@/lib/api/schemas';
import { toPeekedMessage } from '@/lib/api/answers';
import { PEEK_DEFAULT_COUNT, PEEK_MAX_COUNT } from '@/lib/domain/backlog';
import { actionRoute, logValue } from '@/lib/server/api';
import { parse } from '@/lib/server/params';

const peekBody = z.object({ count: z.number().int().min(1).max(PEEK_MAX_COUNT).default(PEEK_DEFAULT_COUNT) }).strict();

export const POST = actionRoute('peek', { segments: ['vhost', 'name'] }, async ({ actions, params: { vhost, name }, body, describe }) => {
  describe(`vhost=${logValue(vhost)} queue=${logValue(name)}`);
  actions.ensureEnabled('peek');
  const { count } = parse(peekBody, body, 'peek request');
  describe(`vhost=${logValue(vhost)} queue=${logValue(name)} count=${count}`);
  const result = await actions.peek({ vhost, name, count });
  const answer: PeekResponse = { ...result, messages: result.messages.map(toPeekedMessage) };
  const methods = result.byMethod.map((m) => `${m.method}×${m.count}`).join(', ');
  return { body: answer, result: `read and requeued ${result.messages.length} message(s)${methods ? `: ${methods}` : ''}` };
});
