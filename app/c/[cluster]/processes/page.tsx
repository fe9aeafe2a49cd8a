import { Suspense } from 'react';
import type { Metadata } from 'next';
import { ProcessesPage } from '@/components/processes/processes-page';
import { PageSkeleton } from '@/components/ui/skeleton';

export const metadata: Metadata = { title: 'Processes' };

export default function Page() {
  return (
    <Suspense fallback={<PageSkeleton />}>
      <ProcessesPage />
    </Suspense>
  );
}
