import { Suspense } from 'react';
import type { Metadata } from 'next';
import { FindingsPage } from '@/components/findings/findings-page';
import { PageSkeleton } from '@/components/ui/skeleton';

export const metadata: Metadata = { title: 'Findings' };

export default function Page() {
  return (
    <Suspense fallback={<PageSkeleton />}>
      <FindingsPage />
    </Suspense>
  );
}
