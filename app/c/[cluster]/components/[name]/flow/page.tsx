import { Suspense } from 'react';
import { FlowPage } from '@/components/flow/flow-page';
import { PageSkeleton } from '@/components/ui/skeleton';
import { routeParam } from '@/lib/client/route-params';

type Props = { params: Promise<{ name: string }> };

export default async function Page({ params }: Props) {
  const name = routeParam((await params).name);
  return (
    <Suspense fallback={<PageSkeleton />}>
      <FlowPage component={name} />
    </Suspense>
  );
}
