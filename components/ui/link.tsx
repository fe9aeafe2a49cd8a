'use client';
import NextLink from 'next/link';
import type { ComponentProps } from 'react';
import { useCurrentCluster } from '@/lib/client/cluster';
import { inCluster } from '@/lib/client/links';

/**
 * A link within the current cluster (`/queues` on a page of cluster `region-one` goes to
 * `/c/region-one/queues`) that does not prefetch its page. Every page here is a thin shell
 * that fetches its data from the API, so prefetching gains little; and lists show dozens of
 * links at once (each scroll of a virtualised list brings new ones), each of which would
 * cost a request. The header's navigation keeps Next's prefetching (`prefetch`).
 */
export function Link({ href, ...props }: ComponentProps<typeof NextLink>) {
  const cluster = useCurrentCluster();
  return <NextLink prefetch={false} href={typeof href === 'string' ? inCluster(cluster, href) : href} {...props} />;
}
