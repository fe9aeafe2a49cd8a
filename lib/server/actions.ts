import 'server-only';
// What an operator may do to a cluster beyond looking: the RPC ping (publishes a call) and reading a
// backlog (takes messages and requeues them). Each is off unless the operator enabled it in the
// configuration; a route is handed these capabilities, never the AMQP URL or the management client.
import type { ActionStatus, ClusterInfo, ProbeResponse } from '@/lib/api/schemas';
import type { ManagementClient } from '@/lib/broker/management-client';
import { peekQueue, PeekRefused, type PeekResult } from '@/lib/broker/peek';
import { probe, vhostOfAmqpUrl } from '@/lib/broker/probe';
import type { BrokerTls } from '@/lib/broker/tls';
import type { ClusterState } from '@/lib/domain/state';
import { ApiFailure } from './errors';

/** An action that reads or writes messages: off unless the operator enabled it, and then with what it needs. */
export type Action<Settings> = ({ enabled: true } & Settings) | { enabled: false; reason: string };

export interface ActionSettings {
  /** The RPC ping: an oslo.messaging call, published as the configured AMQP user. */
  probe: Action<{ amqpUrl: string; tls: BrokerTls | null; timeoutMs: number }>;
  /** Reading a backlog (requeues what it reads). */
  peek: Action<{ allowQuorum: boolean }>;
}

export interface PingRequest {
  topic: string;
  server: string;
  exchange?: string;
  vhost?: string;
  timeoutMs?: number;
}

export interface Actions {
  readonly status: ClusterInfo['actions'];
  /** Throws 'action-disabled', saying why, when the action is off (before its request is even read). */
  ensureEnabled(action: keyof ActionSettings): void;
  /** `describe` is told where the ping goes as soon as that is known, for the log line. */
  ping(request: PingRequest, describe: (where: string) => void): Promise<ProbeResponse>;
  peek(queue: { vhost: string; name: string; count: number }): Promise<PeekResult>;
}

const status = (a: Action<object>): ActionStatus => (a.enabled ? { enabled: true, reason: null } : { enabled: false, reason: a.reason });

export function actionsStatus(settings: ActionSettings): ClusterInfo['actions'] {
  return { probe: status(settings.probe), peek: { ...status(settings.peek), allowQuorum: settings.peek.enabled && settings.peek.allowQuorum } };
}

/**
 * The actions of one operator's view. `state` is that view's latest state: a signed-in operator may
 * aim the ping only at a vhost their own user may read, and a ping without an exchange takes it
 * from the queue it is aimed at. `client` is null for an offline capture.
 */
export function actionsOf(settings: ActionSettings, client: ManagementClient | null, state: () => Promise<ClusterState>, restricted: boolean): Actions {
  return {
    status: actionsStatus(settings),
    ensureEnabled(action) {
      const s = settings[action];
      if (!s.enabled) throw new ApiFailure('action-disabled', s.reason);
    },
    async ping(request, describe) {
      const s = settings.probe;
      if (!s.enabled) throw new ApiFailure('action-disabled', s.reason);
      const vhost = request.vhost ?? vhostOfAmqpUrl(s.amqpUrl);
      const queue = `${request.topic}.${request.server}`;
      const where = (exchange: string) => describe(`vhost=${logValue(vhost)} exchange=${exchange} queue=${logValue(queue)}`);
      where(request.exchange ? logValue(request.exchange) : '(from snapshot)');
      // The ping publishes as the configured AMQP user; a signed-in operator may only aim it where the broker lets them look.
      if (restricted && !(await state()).topology.vhosts.includes(vhost))
        throw new ApiFailure('forbidden', `the broker does not show you vhost "${vhost}", so you may not ping in it`);
      // Without an exchange, the component of the per-server queue is its control exchange. With one, the
      // ping needs nothing of the management API: it works while that is down.
      const exchange = request.exchange ?? (await state()).topology.index.queue(vhost, queue)?.component ?? undefined;
      if (!exchange) throw new ApiFailure('bad-parameters', `no exchange given, and no queue ${queue} of a known component in vhost "${vhost}" to take it from`);
      where(logValue(exchange));
      return probe(s.amqpUrl, { tls: s.tls, vhost, exchange, topic: request.topic, server: request.server, timeoutMs: request.timeoutMs ?? Math.min(s.timeoutMs, 30_000) });
    },
    async peek({ vhost, name, count }) {
      const s = settings.peek;
      if (!s.enabled) throw new ApiFailure('action-disabled', s.reason);
      if (!client) throw new ApiFailure('action-disabled', 'an offline capture: nothing can be read from it');
      try {
        return await peekQueue(client, { vhost, name, count, allowQuorum: s.allowQuorum });
      } catch (err) {
        if (err instanceof PeekRefused && err.reason === 'quorum')
          throw new PeekRefused(err.reason, `${err.message}. Set PEEK_ALLOW_QUORUM=true (in DASHBOARD_CONFIG: actions.peekAllowQuorum) to allow it anyway`);
        throw err;
      }
    },
  };
}

/** Quotes a value for a log line only when it needs it, so names with spaces stay one field. */
export function logValue(v: string): string {
  return /^[\w./@#:%+-]+$/.test(v) ? v : JSON.stringify(v);
}
