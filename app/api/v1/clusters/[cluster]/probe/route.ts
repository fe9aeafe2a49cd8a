// POST: the RPC ping of one service on one host (an oslo.messaging call to `<topic>.<server>`).
import { z } from 'zod';
import type { ProbeResponse } from '@/lib/api/contract';
import { probe, vhostOfAmqpUrl } from '@/lib/broker/probe';
import { actionsStatus } from '@/lib/server/actions';
import { logValue, runAction } from '@/lib/server/action-route';
import { HttpError, parse } from '@/lib/server/http';

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

export async function POST(req: Request, ctx: { params: Promise<{ cluster: string }> }) {
  const { cluster } = await ctx.params;
  return runAction(req, cluster, 'probe', async ({ cluster: c, principal, body, describe }) => {
    const { config } = c;
    const status = actionsStatus(config).probe;
    if (!status.enabled || !config.amqpUrl) throw new HttpError(409, status.reason ?? 'the RPC ping is not configured');
    const input = parse(probeBody(config.probeTimeoutMs), body, 'probe request');
    const vhost = input.vhost ?? vhostOfAmqpUrl(config.amqpUrl);
    const queue = `${input.topic}.${input.server}`;
    describe(`vhost=${logValue(vhost)} exchange=${input.exchange ? logValue(input.exchange) : '(from snapshot)'} queue=${logValue(queue)}`);
    // The ping publishes as the configured AMQP user; a signed-in operator may only aim it where the broker lets them look.
    if (principal.credentials && !(await c.store.get()).value.vhosts.includes(vhost))
      throw new HttpError(403, `the broker does not show you vhost "${vhost}", so you may not ping in it`);
    let exchange = input.exchange;
    if (!exchange) {
      // The component of the per-server queue in the current snapshot is its control exchange.
      const topology = (await c.store.get()).value;
      exchange = topology.queues.find((q) => q.vhost === vhost && q.name === queue)?.component ?? undefined;
      if (!exchange) throw new HttpError(400, `no exchange given, and no queue ${queue} of a known component in vhost "${vhost}" to take it from`);
      describe(`vhost=${logValue(vhost)} exchange=${logValue(exchange)} queue=${logValue(queue)}`);
    }
    const result: ProbeResponse = await probe(config.amqpUrl, {
      tls: config.tls,
      vhost,
      exchange,
      topic: input.topic,
      server: input.server,
      timeoutMs: input.timeoutMs,
    });
    return { body: result, result: `${result.status}${result.latencyMs !== null ? ` ${result.latencyMs} ms` : ''}: ${result.detail}` };
  });
}
