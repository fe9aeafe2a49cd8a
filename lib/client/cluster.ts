'use client';
// Which cluster a page is about: the `/c/{cluster}/…` prefix of its path.
import { usePathname } from 'next/navigation';
import { clusterOfPath, DEFAULT_CLUSTER } from './links';

/** The cluster of the current page; null off the cluster pages (the landing page, sign-in). */
export function useCurrentCluster(): string | null {
  return clusterOfPath(usePathname() ?? '/');
}

/** The cluster a hook asks about: the one given, else the current page's. */
export function useClusterId(given?: string): string {
  const current = useCurrentCluster();
  return given ?? current ?? DEFAULT_CLUSTER;
}
