// The message-bus service list: for every RPC topic, one row per host, like
// `openstack compute service list` seen from the broker.
import type { Backlog, MessageRates } from './types';

export type ServiceStatus = 'ok' | 'not-consuming' | 'stuck' | 'down' | 'backlog';

export interface ServiceProcessRef {
  id: string;
  binary: string | null;
  pid: number | null;
}

export interface ServiceRow {
  vhost: string;
  component: string | null;
  /** Control exchange to send a probe through. */
  exchange: string | null;
  topic: string;
  host: string;
  /** The RPC server name (`<topic>.<server>`), e.g. `storage01@lvm`. */
  server: string;
  serverQueue: string;
  consumers: number;
  /** Consuming the per-server queue now. */
  processes: ServiceProcessRef[];
  /** Still connected although not consuming it (the "up but does nothing" case). */
  idleProcesses: ServiceProcessRef[];
  fanoutQueue: string | null;
  backlog: Backlog;
  rates: MessageRates | null;
  /** The broker's idle_since for the per-server queue; null while it is busy. */
  idleSince: string | null;
  status: ServiceStatus;
  /** Why, in a few words. */
  statusReason: string;
  findingIds: string[];
}
