import { describe, expect, it } from 'vitest';
import { afterSignIn, signInHref } from './links';

describe('after signing in', () => {
  it('goes back to the page that sent the operator, with its filters', () => {
    expect(afterSignIn('/queues?q=compute%20host&kind=rpc#top')).toBe('/queues?q=compute%20host&kind=rpc#top');
    expect(afterSignIn('/queues/%2F/compute.host-1')).toBe('/queues/%2F/compute.host-1');
    expect(signInHref('/queues?q=a b')).toBe('/login?next=%2Fqueues%3Fq%3Da+b');
    expect(afterSignIn(new URLSearchParams(signInHref('/queues?q=a b').split('?')[1]).get('next'))).toBe('/queues?q=a%20b');
  });

  it.each([null, '', 'https://evil.example/', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)', '/login?next=/x', ' /queues'])(
    'never leaves the dashboard: %s goes to the overview',
    (next) => {
      expect(afterSignIn(next)).toBe('/');
    },
  );
});
