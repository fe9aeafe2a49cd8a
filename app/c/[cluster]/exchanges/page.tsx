import { Suspense } from 'react';
import type { Metadata } from 'next';
import { ExchangesPage } from '@/components/exchanges/exchanges-page';
import { PageSkeleton } from '@/components/ui/skeleton';

export const metadata: Metadata = { title: 'Exchanges' };

export default function Page() {
  return (
    <Suspense fallback={<PageSkeleton />}>
      <ExchangesPage />
    </Suspense>
  );
}
