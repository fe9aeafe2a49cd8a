import { describe, expect, it } from 'vitest';
import { clusterHref, clusterOfPath, inCluster, queueHref } from './links';

describe('pages of a cluster', () => {
  it('live under /c/{cluster}', () => {
    expect(clusterHref('region-one')).toBe('/c/region-one');
    expect(clusterHref('region-one', '/queues')).toBe('/c/region-one/queues');
    expect(clusterOfPath('/c/region-one/queues/%2F/compute.host1')).toBe('region-one');
    expect(clusterOfPath('/c/region-one')).toBe('region-one');
    expect(clusterOfPath('/')).toBeNull();
    expect(clusterOfPath('/login')).toBeNull();
    expect(clusterOfPath('/c/%E0%A4%A')).toBeNull();
  });

  it('links of a page stay in its cluster; the API, sign-in, other sites and other clusters are left alone', () => {
    expect(inCluster('region-one', queueHref('/', 'compute.host1'))).toBe('/c/region-one/queues/%2F/compute.host1');
    expect(inCluster('region-one', '/')).toBe('/c/region-one');
    expect(inCluster('region-one', '/queues?q=a')).toBe('/c/region-one/queues?q=a');
    for (const href of ['/api/v1/clusters', '/login?next=%2F', '/metrics', '/c/other/queues', 'https://example.com/', '//evil.example/', '#top'])
      expect(inCluster('region-one', href), href).toBe(href);
    expect(inCluster(null, '/queues')).toBe('/queues');
  });
});
