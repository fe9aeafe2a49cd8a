import { hostHref } from '@/lib/client/links';
import { Link } from '../ui/link';

/** Every host in the product links to its page. */
export function HostLink({ host, className = 'text-accent-600 hover:underline' }: { host: string; className?: string }) {
  return (
    <Link href={hostHref(host)} className={`name-wrap ${className}`} data-testid="host-link">
      {host}
    </Link>
  );
}
