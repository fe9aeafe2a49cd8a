import { describe, expect, it } from 'vitest';
import { exchangeNameFromSegment } from '@/lib/api/paths';
import { queueHref, exchangeHref, processHref, componentHref, apiPath } from './links';
import { routeParam } from './route-params';

const NASTY = ['/', 'a%b/c d#e?q=1&x', 'a%41', 'compute.storage01@lvm#pool', 'ünï©ødé ✓ 日本', '%2F', 'x'.repeat(255), '(default)'];

/** What Next hands a page: the path segment as it was in the URL. */
const segments = (href: string) => href.split('?')[0]!.split('/').slice(1);

describe('links + routeParam round trip', () => {
  it('every name comes back from its page URL exactly', () => {
    for (const vhost of ['/', 'vh/1%']) {
      for (const name of NASTY) {
        const [, v, n] = segments(queueHref(vhost, name));
        expect(routeParam(v!)).toBe(vhost);
        expect(routeParam(n!)).toBe(name);
      }
    }
  });
  it('one segment per name: no raw / ? # % in it', () => {
    for (const name of NASTY) {
      const s = segments(processHref(name))[1]!;
      expect(s).not.toMatch(/[/?#]/);
      expect(s).not.toMatch(/%(?![0-9A-F]{2})/);
    }
  });
  it('represents the default exchange as amq.default', () => {
    expect(exchangeHref('/', '')).toBe('/exchanges/%2F/amq.default');
    expect(exchangeNameFromSegment(routeParam('amq.default'))).toBe('');
    expect(apiPath.exchange('/', '')).toBe('/api/v1/clusters/default/exchanges/%2F/amq.default');
    expect(exchangeHref('/', 'nova')).toBe('/exchanges/%2F/nova');
  });
  it('builds API paths with the same encoding', () => {
    expect(apiPath.queue('/', 'a b')).toBe('/api/v1/clusters/default/queues/%2F/a%20b');
    expect(apiPath.process('nova-compute:1@10.0.0.1')).toBe('/api/v1/clusters/default/processes/nova-compute%3A1%4010.0.0.1');
    expect(componentHref('nova')).toBe('/components/nova');
    expect(apiPath.queues({ kind: 'reply', q: 'a&b', page: 2, pageSize: 500 })).toBe('/api/v1/clusters/default/queues?kind=reply&q=a%26b&page=2&pageSize=500');
  });
  it('keeps a malformed escape as typed', () => {
    expect(routeParam('%E0')).toBe('%E0');
  });
});
