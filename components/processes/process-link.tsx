import { Link } from '../ui/link';
import { processHref } from '@/lib/client/links';
import { processLabel } from './labels';

export function ProcessLink({ process, id }: { process?: Parameters<typeof processLabel>[0] | null; id?: string }) {
  const pid = process?.id ?? id;
  if (!pid) return <span className="text-neutral-400">unknown</span>;
  return (
    <Link href={processHref(pid)} className="name-wrap text-accent-600 hover:underline">
      {process ? processLabel(process) : pid}
    </Link>
  );
}
