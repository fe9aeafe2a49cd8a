import { QueueDetailPage } from '@/components/queues/queue-detail-page';
import { routeParam } from '@/lib/client/route-params';

type Props = { params: Promise<{ vhost: string; name: string }> };

export default async function Page({ params }: Props) {
  const p = await params;
  const vhost = routeParam(p.vhost);
  const name = routeParam(p.name);
  return <QueueDetailPage vhost={vhost} name={name} />;
}
