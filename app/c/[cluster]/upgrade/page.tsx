import { Suspense } from 'react';
import type { Metadata } from 'next';
import { UpgradePage } from '@/components/upgrade/upgrade-page';
import { PageSkeleton } from '@/components/ui/skeleton';

export const metadata: Metadata = { title: 'Upgrade' };

export default function Page() {
  return (
    <Suspense fallback={<PageSkeleton />}>
      <UpgradePage />
    </Suspense>
  );
}
