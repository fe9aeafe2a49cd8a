import 'server-only';
// Which message-touching actions the operator enabled, and why not.
import type { ClusterInfo } from '@/lib/api/contract';
import type { ClusterConfig } from './config';

export function actionsStatus(config: ClusterConfig): ClusterInfo['actions'] {
  return {
    probe: config.amqpUrl
      ? { enabled: true, reason: null }
      : {
          enabled: false,
          reason:
            'the RPC ping is not configured: set RABBITMQ_AMQP_URL (in DASHBOARD_CONFIG: actions.probe and amqpUrlEnv) to a user that may declare a queue and publish',
        },
    peek: {
      enabled: config.peekEnabled,
      reason: config.peekEnabled ? null : 'reading a backlog is off: set PEEK_ENABLED=true (in DASHBOARD_CONFIG: actions.peek) — it requeues the messages it reads',
      allowQuorum: config.peekAllowQuorum,
    },
  };
}
