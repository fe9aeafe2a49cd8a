// POST: the RPC ping of one service on one host (an oslo.messaging call to `<topic>.<server>`).
import { z } from 'zod';
import type { ProbeResponse } from '@/lib/api/schemas';
import { probe, vhostOfAmqpUrl } from '@/lib/broker/probe';
import { actionRoute, logValue } from '@/lib/server/api';
import { ApiFailure } from '@/lib/server/errors';
import { parse } from '@/lib/server/params';

const name = z.string().min(1).max(255);
const probeBody = (defaultTimeoutMs: number) =>
  z
    .object({
      topic: name,
      server: name,
      exchange: name.optional(),
      vhost: name.optional(),
      timeoutMs: z.number().int().min(100).max(30_000).default(Math.min(defaultTimeoutMs, 30_000)),
    })
    .strict();

export const POST = actionRoute('probe', {}, async ({ cluster, principal, body, describe }) => {
  const settings = cluster.actions.probe;
  if (!settings.enabled) throw new ApiFailure('action-disabled', settings.reason);
  const input = parse(probeBody(settings.timeoutMs), body, 'probe request');
  const vhost = input.vhost ?? vhostOfAmqpUrl(settings.amqpUrl);
  const queue = `${input.topic}.${input.server}`;
  const where = (exchange: string) => describe(`vhost=${logValue(vhost)} exchange=${exchange} queue=${logValue(queue)}`);
  where(input.exchange ? logValue(input.exchange) : '(from snapshot)');
  // The ping publishes as the configured AMQP user; a signed-in operator may only aim it where the broker lets them look.
  if (principal.credentials && !(await cluster.read()).topology.vhosts.includes(vhost))
    throw new ApiFailure('forbidden', `the broker does not show you vhost "${vhost}", so you may not ping in it`);
  // Without an exchange, the component of the per-server queue is its control exchange. With one, the
  // ping needs nothing of the management API: it works while that is down.
  const exchange = input.exchange ?? (await cluster.read()).topology.index.queue(vhost, queue)?.component ?? undefined;
  if (!exchange) throw new ApiFailure('bad-parameters', `no exchange given, and no queue ${queue} of a known component in vhost "${vhost}" to take it from`);
  where(logValue(exchange));
  const result: ProbeResponse = await probe(settings.amqpUrl, { tls: settings.tls, vhost, exchange, topic: input.topic, server: input.server, timeoutMs: input.timeoutMs });
  return { body: result, result: `${result.status}${result.latencyMs !== null ? ` ${result.latencyMs} ms` : ''}: ${result.detail}` };
});
