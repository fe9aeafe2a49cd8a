import type { Process, QueueRow } from '@/lib/api/schemas';
import { queueHref } from '@/lib/client/links';
import { formatCount } from '../ui/format';
import { Link } from '../ui/link';
import { ProcessLink } from './process-link';

/** The processes consuming a queue; where the row lists only the first of them, a link to the rest. */
export function QueueProcesses({ q, processes }: { q: QueueRow; processes: Record<string, Process> }) {
  if (q.processIds.length === 0) return <span className="text-neutral-400">–</span>;
  return (
    <ul className="space-y-0.5">
      {q.processIds.map((id) => (
        <li key={id}>
          <ProcessLink id={id} process={processes[id]} />
        </li>
      ))}
      {q.processCount > q.processIds.length && (
        <li>
          <Link href={queueHref(q.vhost, q.name)} className="text-xs text-neutral-500 hover:underline">
            and {formatCount(q.processCount - q.processIds.length)} more →
          </Link>
        </li>
      )}
    </ul>
  );
}
