import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { ClustersPage } from '@/components/clusters/clusters-page';
import { clusterHref } from '@/lib/client/links';
import { root } from '@/lib/server/root';

export const metadata: Metadata = { title: 'Clusters' };

/** Every cluster at a glance; with only one, its overview straight away. */
export default function Page() {
  const { clusters } = root().config;
  if (clusters.length === 1) redirect(clusterHref(clusters[0]!.id));
  return <ClustersPage />;
}
