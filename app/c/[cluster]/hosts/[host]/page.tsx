import { HostPage } from '@/components/hosts/host-page';
import { routeParam } from '@/lib/client/route-params';

type Props = { params: Promise<{ host: string }> };

export default async function Page({ params }: Props) {
  return <HostPage host={routeParam((await params).host)} />;
}
