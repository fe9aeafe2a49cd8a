import { Suspense } from 'react';
import type { Metadata } from 'next';
import { ServicesPage } from '@/components/services/services-page';
import { PageSkeleton } from '@/components/ui/skeleton';

export const metadata: Metadata = { title: 'Services' };

export default function Page() {
  return (
    <Suspense fallback={<PageSkeleton />}>
      <ServicesPage />
    </Suspense>
  );
}
