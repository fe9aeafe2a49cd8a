import { Suspense } from 'react';
import type { Metadata } from 'next';
import { QueuesPage } from '@/components/queues/queues-page';
import { PageSkeleton } from '@/components/ui/skeleton';

export const metadata: Metadata = { title: 'Queues' };

export default function Page() {
  return (
    <Suspense fallback={<PageSkeleton />}>
      <QueuesPage />
    </Suspense>
  );
}
