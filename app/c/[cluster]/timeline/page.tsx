import { Suspense } from 'react';
import type { Metadata } from 'next';
import { TimelinePage } from '@/components/history/timeline-page';
import { PageSkeleton } from '@/components/ui/skeleton';

export const metadata: Metadata = { title: 'Timeline' };

export default function Page() {
  return (
    <Suspense fallback={<PageSkeleton />}>
      <TimelinePage />
    </Suspense>
  );
}
