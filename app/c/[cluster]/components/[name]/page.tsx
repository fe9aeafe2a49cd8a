import { ComponentDetailPage } from '@/components/component-detail/component-detail-page';
import { routeParam } from '@/lib/client/route-params';

type Props = { params: Promise<{ name: string }> };

export default async function Page({ params }: Props) {
  const name = routeParam((await params).name);
  return <ComponentDetailPage name={name} />;
}
