// The service catalog: for each OpenStack binary the simulator knows, its project (and so
// its control exchange), the RPC topics it serves with their endpoints, and what it calls,
// casts and publishes. Data only; sim/process.ts and sim/cloud.ts act on it.
import type { JsonObject, JsonValue, NotificationPriority } from '@/lib/oslo/envelope';

export type Project = 'nova' | 'neutron' | 'cinder' | 'heat';

/** oslo's control_exchange per project: cinder keeps the default `openstack`. */
export const CONTROL_EXCHANGES: Record<Project, string> = {
  nova: 'nova',
  neutron: 'neutron',
  cinder: 'openstack',
  heat: 'heat',
};

/** An RPC endpoint: a namespace/version target and the methods it implements. */
export interface EndpointSpec {
  namespace: string | null;
  version: string;
  /** method name → result builder (context-free; args as received). */
  methods: Record<string, (args: JsonObject, served: ServedTopic) => JsonValue>;
}

/** What a server answers for a topic, once bound to its server name. */
export interface ServedTopic {
  topic: string;
  server: string;
  binary: string;
  host: string;
}

export interface TopicSpec {
  topic: string;
  /** The server name in `<topic>.<server>`, from the host name. */
  server: (host: string) => string;
  endpoints: EndpointSpec[];
}

/** A request this service sends: to `<topic>` (shared) or to `<topic>.<server>` of a random server. */
export interface RequestSpecTemplate {
  project: Project;
  topic: string;
  /** 'shared': the `<topic>` queue; 'server': `<topic>.<server>` of one process serving the topic. */
  target: 'shared' | 'server';
  method: string;
  namespace?: string;
  version?: string;
  args: () => JsonObject;
}

export interface NotificationTemplate {
  priority: NotificationPriority;
  eventType: string;
  payload: () => JsonObject;
}

export interface ServiceSpec {
  binary: string;
  project: Project;
  topics: TopicSpec[];
  calls: RequestSpecTemplate[];
  casts: RequestSpecTemplate[];
  /** Topics this service fanout-casts to (`<topic>_fanout`). */
  fanouts: RequestSpecTemplate[];
  notifications: NotificationTemplate[];
  /** Notification topics (queues `<topic>.<priority>` on the control exchange). */
  notificationTopics: string[];
}

const uuid = () => globalThis.crypto.randomUUID();
const byHost = (host: string) => host;

/** nova's BaseRPCAPI endpoint: namespace 'baseapi', version 1.1, ping → {service, arg}. */
function novaBaseApi(): EndpointSpec {
  return {
    namespace: 'baseapi',
    version: '1.1',
    methods: {
      ping: (args, served) => ({ service: served.topic, arg: args.arg ?? null }),
      get_backdoor_port: () => null,
    },
  };
}

const manager = (version: string, methods: string[], result: (m: string, args: JsonObject, s: ServedTopic) => JsonValue = () => null): EndpointSpec => ({
  namespace: null,
  version,
  methods: Object.fromEntries(methods.map((m) => [m, (args: JsonObject, s: ServedTopic) => result(m, args, s)])),
});

const novaTopic = (topic: string, version: string, methods: string[], extra: EndpointSpec[] = []): TopicSpec => ({
  topic,
  server: byHost,
  endpoints: [manager(version, methods), ...extra, novaBaseApi()],
});

const instance = () => ({ instance_id: uuid() });

const NEUTRON_AGENT_FANOUT_TOPICS = [
  'q-agent-notifier-port-update',
  'q-agent-notifier-network-delete',
  'q-agent-notifier-security_group-update',
];

/** Endpoints of the OVS agent: every topic it listens on takes any of these casts. */
const ovsAgentEndpoint = manager('1.7', [
  'port_update',
  'port_delete',
  'network_update',
  'network_delete',
  'security_groups_rule_updated',
  'security_groups_member_updated',
  'tunnel_update',
  'tunnel_delete',
]);

export const SERVICES: Record<string, ServiceSpec> = {
  'nova-compute': {
    binary: 'nova-compute',
    project: 'nova',
    topics: [
      novaTopic('compute', '6.2', [
        'build_and_run_instance',
        'terminate_instance',
        'reboot_instance',
        'get_console_output',
        'get_instance_diagnostics',
        'refresh_instance_security_rules',
      ]),
    ],
    calls: [
      { project: 'nova', topic: 'conductor', target: 'shared', method: 'object_class_action_versions', version: '3.0', args: () => ({ objname: 'Instance', objmethod: 'get_by_uuid', object_versions: {}, args: [], kwargs: {} }) },
      { project: 'nova', topic: 'conductor', target: 'shared', method: 'object_action', version: '3.0', args: () => ({ objinst: {}, objmethod: 'save', args: [], kwargs: {} }) },
    ],
    casts: [],
    fanouts: [],
    notifications: [
      { priority: 'info', eventType: 'compute.instance.update', payload: instance },
      { priority: 'info', eventType: 'compute.instance.power_on.end', payload: instance },
      { priority: 'info', eventType: 'compute.metrics.update', payload: () => ({ nodename: 'node', metrics: [] }) },
    ],
    notificationTopics: ['notifications', 'versioned_notifications'],
  },
  'nova-conductor': {
    binary: 'nova-conductor',
    project: 'nova',
    topics: [
      {
        topic: 'conductor',
        server: byHost,
        endpoints: [
          manager('3.0', ['object_class_action_versions', 'object_action', 'object_backport_versions', 'provider_fw_rule_get_all'], (m) =>
            m === 'object_action' ? ['Instance', {}] : {},
          ),
          { ...manager('1.25', ['build_instances', 'schedule_and_build_instances', 'migrate_server', 'rebuild_instance']), namespace: 'compute_task' },
          novaBaseApi(),
        ],
      },
    ],
    calls: [{ project: 'nova', topic: 'compute', target: 'server', method: 'get_instance_diagnostics', version: '6.0', args: () => ({ instance: instance() }) }],
    casts: [{ project: 'nova', topic: 'compute', target: 'server', method: 'build_and_run_instance', version: '6.0', args: () => ({ instance: instance(), request_spec: {}, filter_properties: {} }) }],
    fanouts: [],
    notifications: [{ priority: 'info', eventType: 'compute_task.build_instances', payload: instance }],
    notificationTopics: ['notifications', 'versioned_notifications'],
  },
  'nova-scheduler': {
    binary: 'nova-scheduler',
    project: 'nova',
    topics: [novaTopic('scheduler', '4.5', ['select_destinations', 'update_aggregates', 'delete_aggregate', 'update_instance_info', 'sync_instance_info'])],
    calls: [{ project: 'nova', topic: 'compute', target: 'server', method: 'get_console_output', version: '6.0', args: () => ({ instance: instance(), tail_length: 10 }) }],
    casts: [],
    fanouts: [],
    notifications: [{ priority: 'info', eventType: 'scheduler.select_destinations.end', payload: () => ({ request_spec: {} }) }],
    notificationTopics: ['notifications', 'versioned_notifications'],
  },
  'neutron-server': {
    binary: 'neutron-server',
    project: 'neutron',
    topics: [
      {
        topic: 'q-plugin',
        server: byHost,
        endpoints: [
          manager('1.9', ['get_device_details', 'get_devices_details_list', 'update_device_up', 'update_device_down', 'tunnel_sync', 'security_group_info_for_devices'], (m): JsonValue =>
            m === 'get_devices_details_list' ? [] : m === 'tunnel_sync' ? { tunnels: [] } : {},
          ),
        ],
      },
      {
        topic: 'q-reports-plugin',
        server: byHost,
        endpoints: [manager('1.2', ['report_state'], () => 'alive')],
      },
    ],
    calls: [],
    casts: [],
    fanouts: [
      { project: 'neutron', topic: 'q-agent-notifier-port-update', target: 'shared', method: 'port_update', version: '1.7', args: () => ({ port: { id: uuid() } }) },
      { project: 'neutron', topic: 'q-agent-notifier-security_group-update', target: 'shared', method: 'security_groups_member_updated', version: '1.7', args: () => ({ security_groups: [uuid()] }) },
      { project: 'neutron', topic: 'q-agent-notifier-network-delete', target: 'shared', method: 'network_delete', version: '1.7', args: () => ({ network_id: uuid() }) },
    ],
    notifications: [
      { priority: 'info', eventType: 'port.update.end', payload: () => ({ port: { id: uuid() } }) },
      { priority: 'info', eventType: 'network.create.end', payload: () => ({ network: { id: uuid() } }) },
    ],
    notificationTopics: ['notifications'],
  },
  'neutron-openvswitch-agent': {
    binary: 'neutron-openvswitch-agent',
    project: 'neutron',
    topics: [
      ...NEUTRON_AGENT_FANOUT_TOPICS.map((topic) => ({ topic, server: byHost, endpoints: [ovsAgentEndpoint] })),
      // The agent's own topic (tunnel updates from the server).
      { topic: 'q-agent-notifier-tunnel-update', server: byHost, endpoints: [ovsAgentEndpoint] },
    ],
    calls: [
      { project: 'neutron', topic: 'q-reports-plugin', target: 'shared', method: 'report_state', version: '1.2', args: () => ({ agent_state: { agent_state: { binary: 'neutron-openvswitch-agent' } }, time: new Date().toISOString() }) },
      { project: 'neutron', topic: 'q-plugin', target: 'shared', method: 'get_devices_details_list', version: '1.9', args: () => ({ devices: [], agent_id: 'ovs', host: null }) },
    ],
    casts: [{ project: 'neutron', topic: 'q-plugin', target: 'shared', method: 'update_device_up', version: '1.9', args: () => ({ device: uuid(), agent_id: 'ovs' }) }],
    fanouts: [],
    notifications: [],
    notificationTopics: ['notifications'],
  },
  'cinder-volume': {
    binary: 'cinder-volume',
    project: 'cinder',
    topics: [
      {
        topic: 'cinder-volume',
        server: (host) => `${host}@lvm`,
        endpoints: [manager('3.17', ['create_volume', 'delete_volume', 'attach_volume', 'detach_volume', 'initialize_connection', 'publish_service_capabilities'])],
      },
    ],
    calls: [],
    casts: [{ project: 'cinder', topic: 'cinder-scheduler', target: 'shared', method: 'update_service_capabilities', version: '3.0', args: () => ({ service_name: 'volume', host: 'lvm', capabilities: {} }) }],
    fanouts: [],
    notifications: [{ priority: 'info', eventType: 'volume.usage', payload: () => ({ volume_id: uuid() }) }],
    notificationTopics: ['notifications'],
  },
  'cinder-scheduler': {
    binary: 'cinder-scheduler',
    project: 'cinder',
    topics: [
      {
        topic: 'cinder-scheduler',
        server: byHost,
        endpoints: [manager('3.12', ['create_volume', 'update_service_capabilities', 'get_pools', 'notify_service_capabilities'], (m) => (m === 'get_pools' ? [] : null))],
      },
    ],
    calls: [],
    casts: [{ project: 'cinder', topic: 'cinder-volume', target: 'server', method: 'create_volume', version: '3.0', args: () => ({ volume: { id: uuid() } }) }],
    fanouts: [{ project: 'cinder', topic: 'cinder-volume', target: 'shared', method: 'publish_service_capabilities', version: '3.0', args: () => ({}) }],
    notifications: [{ priority: 'info', eventType: 'scheduler.create_volume.end', payload: () => ({ volume_id: uuid() }) }],
    notificationTopics: ['notifications'],
  },
  'heat-engine': {
    binary: 'heat-engine',
    project: 'heat',
    topics: [{ topic: 'engine', server: byHost, endpoints: [manager('1.36', ['list_stacks', 'show_stack', 'create_stack', 'stack_cancel_update'], (m) => (m === 'list_stacks' ? [] : {}))] }],
    calls: [{ project: 'heat', topic: 'engine', target: 'shared', method: 'list_stacks', version: '1.33', args: () => ({ limit: 20 }) }],
    casts: [],
    fanouts: [],
    notifications: [{ priority: 'info', eventType: 'orchestration.stack.update.end', payload: () => ({ stack_identity: uuid() }) }],
    notificationTopics: ['notifications'],
  },
};

export type ServiceBinary = keyof typeof SERVICES;
export const SERVICE_BINARIES = Object.keys(SERVICES);

export function serviceSpec(binary: string): ServiceSpec {
  const spec = SERVICES[binary];
  if (!spec) throw new Error(`unknown service ${binary}; known: ${SERVICE_BINARIES.join(', ')}`);
  return spec;
}

/** A notification consumer like ceilometer's agent-notification: not an RPC server. */
export const NOTIFICATION_AGENT_BINARY = 'ceilometer-agent-notification';
