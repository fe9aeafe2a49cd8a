import { ProcessDetailPage } from '@/components/processes/process-detail-page';
import { routeParam } from '@/lib/client/route-params';

type Props = { params: Promise<{ id: string }> };

export default async function Page({ params }: Props) {
  const id = routeParam((await params).id);
  return <ProcessDetailPage id={id} />;
}
