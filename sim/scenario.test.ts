import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { controlExchange, defaultAddress, loadScenario, parseScenario, resolveHosts } from './scenario';
import { dispatch, queueArguments } from './process';
import { resolveAmqpUrl } from './cloud';
import { SERVICES, serviceSpec } from './services';

describe('scenario schema', () => {
  it('fills every default from an empty object', () => {
    const s = parseScenario({});
    expect(s.vhost).toBe('/');
    expect(s.layout).toEqual({
      legacyReplyExchanges: false,
      quorumQueues: false,
      transientQuorumQueues: false,
      useQueueManager: false,
      streamFanout: false,
      transientQueuesTtl: 1800,
      prefetchCount: 0,
    });
    expect(s.traffic.notificationConsumer).toBe(true);
    expect(s.hosts).toEqual([]);
  });

  it('loads demo.json: 3 computes, a storage host, one controller', async () => {
    const s = await loadScenario(path.resolve(__dirname, 'scenarios/demo.json'));
    const hosts = resolveHosts(s);
    expect(hosts.filter((h) => h.services.includes('nova-compute'))).toHaveLength(3);
    expect(hosts.filter((h) => h.services.includes('neutron-openvswitch-agent'))).toHaveLength(3);
    expect(hosts.find((h) => h.services.includes('cinder-volume'))?.name).toBe('storage01');
    const ctl = hosts.filter((h) => h.role === 'controller');
    expect(ctl).toHaveLength(1);
    expect(ctl[0]!.services.sort()).toEqual(['cinder-scheduler', 'heat-engine', 'neutron-server', 'nova-conductor', 'nova-scheduler']);
    expect(s.traffic.notificationsPerSecond).toBeGreaterThan(0);
    expect(new Set(hosts.map((h) => h.address)).size).toBe(hosts.length);
  });

  it('loads test.json', async () => {
    const s = await loadScenario(path.resolve(__dirname, 'scenarios/test.json'));
    expect(resolveHosts(s).map((h) => h.address)).toEqual(['127.0.1.21', '127.0.1.22', '127.0.2.21']);
  });

  it('derives loopback addresses from the host index, hosts and controllers apart', () => {
    expect(defaultAddress('host', 0)).toBe('127.0.1.1');
    expect(defaultAddress('controller', 0)).toBe('127.0.2.1');
    expect(defaultAddress('host', 253)).toBe('127.0.1.254');
    expect(defaultAddress('host', 254)).toBe('127.0.3.1');
  });

  it('rejects unknown services, non-loopback addresses, duplicate hosts', () => {
    expect(() => parseScenario({ hosts: [{ name: 'a', services: ['nova-api-metadata-x'] }] })).toThrow(/invalid scenario/);
    expect(() => parseScenario({ hosts: [{ name: 'a', address: '10.0.0.1', services: ['nova-compute'] }] })).toThrow(/loopback/);
    expect(() =>
      parseScenario({ hosts: [{ name: 'a', services: ['nova-compute'] }], controllers: [{ name: 'a', services: ['nova-conductor'] }] }),
    ).toThrow(/listed twice/);
    expect(() =>
      parseScenario({ hosts: [{ name: 'a', address: '127.0.9.9', services: ['nova-compute'] }, { name: 'b', address: '127.0.9.9', services: ['nova-compute'] }] }),
    ).toThrow(/used by two hosts/);
  });

  it('maps projects to control exchanges: cinder uses openstack, overrides win', () => {
    expect(controlExchange(parseScenario({}), 'cinder')).toBe('openstack');
    expect(controlExchange(parseScenario({}), 'nova')).toBe('nova');
    expect(controlExchange(parseScenario({ controlExchanges: { nova: 'nova-cell1' } }), 'nova')).toBe('nova-cell1');
  });
});

describe('service catalog', () => {
  it('serves the documented topics', () => {
    const topics = (b: string) => serviceSpec(b).topics.map((t) => t.topic);
    expect(topics('nova-compute')).toEqual(['compute']);
    expect(topics('neutron-server')).toEqual(['q-plugin', 'q-reports-plugin']);
    expect(topics('neutron-openvswitch-agent')).toEqual(expect.arrayContaining(['q-agent-notifier-port-update', 'q-agent-notifier-network-delete', 'q-agent-notifier-security_group-update']));
    expect(topics('heat-engine')).toEqual(['engine']);
    expect(serviceSpec('cinder-volume').topics[0]!.server('storage01')).toBe('storage01@lvm');
    expect(() => serviceSpec('nope')).toThrow(/unknown service/);
  });

  it('only sends requests to topics some service serves', () => {
    const served = new Set(Object.values(SERVICES).flatMap((s) => s.topics.map((t) => t.topic)));
    for (const s of Object.values(SERVICES)) {
      for (const r of [...s.calls, ...s.casts, ...s.fanouts]) expect(served.has(r.topic), `${s.binary} → ${r.topic}`).toBe(true);
    }
  });
});

describe('dispatch like oslo RPCDispatcher', () => {
  const compute = serviceSpec('nova-compute').topics[0]!;
  const served = { topic: 'compute', server: 'n1', binary: 'nova-compute', host: 'n1' };
  const req = (method: string, namespace: string | null, version: string | null, args = {}) => ({ method, namespace, version, args });

  it('answers ping in baseapi 1.1 (and 1.0) with {service, arg}', () => {
    expect(dispatch(compute.endpoints, req('ping', 'baseapi', '1.1', { arg: 3 }), served)).toEqual({ kind: 'result', result: { service: 'compute', arg: 3 } });
    expect(dispatch(compute.endpoints, req('ping', 'baseapi', '1.0', {}), served)).toEqual({ kind: 'result', result: { service: 'compute', arg: null } });
  });

  it('NoSuchMethod when a compatible endpoint lacks the method, UnsupportedVersion when none is compatible', () => {
    expect(dispatch(compute.endpoints, req('no_such', null, '6.0'), served).kind).toBe('NoSuchMethod');
    expect(dispatch(compute.endpoints, req('toString', null, '6.0'), served).kind).toBe('NoSuchMethod');
    expect(dispatch(compute.endpoints, req('pod_health_probe_method_ignore_errors', null, null), served).kind).toBe('UnsupportedVersion');
    expect(dispatch(compute.endpoints, req('ping', 'baseapi', '1.2'), served).kind).toBe('UnsupportedVersion');
    expect(dispatch(compute.endpoints, req('ping', 'other', '1.1'), served).kind).toBe('UnsupportedVersion');
  });
});

describe('queue arguments like oslo _get_queue_arguments', () => {
  it('builds classic, quorum and stream arguments', () => {
    expect(queueArguments({ quorum: false, ttlSeconds: 0 })).toEqual({});
    expect(queueArguments({ quorum: false, ttlSeconds: 1800 })).toEqual({ 'x-expires': 1800000 });
    expect(queueArguments({ quorum: true, ttlSeconds: 1800 })).toEqual({ 'x-queue-type': 'quorum', 'x-expires': 1800000 });
    expect(queueArguments({ quorum: true, ttlSeconds: 1800, stream: true })).toEqual({ 'x-queue-type': 'stream', 'x-max-age': '1800s' });
    expect(queueArguments({ quorum: true, ttlSeconds: 0, stream: true })).toEqual({ 'x-queue-type': 'stream' });
  });
});

describe('vhost resolution', () => {
  it('prefers the option, then the URL path, then the scenario', () => {
    expect(resolveAmqpUrl('amqp://g:g@h:5672/', 'scen', 'opt')).toEqual({ url: 'amqp://g:g@h:5672/opt', vhost: 'opt' });
    expect(resolveAmqpUrl('amqp://g:g@h:5672/from%2Furl', 'scen').vhost).toBe('from/url');
    expect(resolveAmqpUrl('amqp://g:g@h:5672', 'scen').vhost).toBe('scen');
    expect(resolveAmqpUrl('amqp://g:g@h:5672/', '/').url).toBe('amqp://g:g@h:5672/%2F');
  });
});
