import { describe, expect, it } from 'vitest';
import { apiPath, findingHref, findingsHref, nodesHref, servicesHref, subjectHref } from './links';

describe('diagnosis links', () => {
  it('a finding subject leads to its page', () => {
    expect(subjectHref({ type: 'queue', vhost: '/', name: 'compute.a b' })).toBe('/queues/%2F/compute.a%20b');
    expect(subjectHref({ type: 'process', id: 'nova-compute:1@10.0.0.1' })).toBe('/processes/nova-compute%3A1%4010.0.0.1');
    expect(subjectHref({ type: 'connection', name: 'c', processId: 'p/1' })).toBe('/processes/p%2F1');
    expect(subjectHref({ type: 'connection', name: 'c', processId: null })).toBeNull();
    expect(subjectHref({ type: 'node', name: 'rabbit@a' })).toBe(nodesHref());
  });
  it('findings and services pages with their filters', () => {
    expect(findingsHref()).toBe('/findings');
    expect(findingHref('rpc-server-unconsumed|queue|/|q#1')).toBe('/findings?focus=rpc-server-unconsumed%7Cqueue%7C%2F%7Cq%231');
    expect(servicesHref({ component: 'nova', topic: '', q: 'compute0' })).toBe('/services?component=nova&q=compute0');
  });
  it('API paths for the diagnosis endpoints', () => {
    expect(apiPath.findings()).toBe('/api/v1/clusters/default/findings');
    expect(apiPath.services({ topic: 'compute' })).toBe('/api/v1/clusters/default/services?topic=compute');
    expect(apiPath.probe()).toBe('/api/v1/clusters/default/probe');
    expect(apiPath.peek('/', 'cinder-volume.storage01@lvm#a')).toBe('/api/v1/clusters/default/queues/%2F/cinder-volume.storage01%40lvm%23a/peek');
  });
});
