import { ExchangeDetailPage } from '@/components/exchanges/exchange-detail-page';
import { exchangeNameFromSegment } from '@/lib/api/paths';
import { routeParam } from '@/lib/client/route-params';

type Props = { params: Promise<{ vhost: string; name: string }> };

export default async function Page({ params }: Props) {
  const p = await params;
  const vhost = routeParam(p.vhost);
  const name = exchangeNameFromSegment(routeParam(p.name));
  return <ExchangeDetailPage vhost={vhost} name={name} />;
}
