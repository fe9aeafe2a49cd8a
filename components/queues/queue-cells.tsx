import type { QueueRow } from '@/lib/api/schemas';
import { Tag } from '../ui/badges';
import { formatCount } from '../ui/format';
import { Count } from '../ui/numbers';
import { replicaSummary, retentionText } from './queue-shaping';

/** The queue's type, and for a quorum queue or a stream its replicas up of all: "quorum 2/3", coloured when one is down. */
export function QueueTypeCell({ q }: { q: Pick<QueueRow, 'type' | 'replication'> }) {
  if (!q.replication) return <span className="text-neutral-600">{q.type}</span>;
  const s = replicaSummary(q.replication);
  return (
    <span className="whitespace-nowrap" title={s.title} data-replication={q.replication.state}>
      <span className="text-neutral-600">{q.type}</span>{' '}
      {s.tone === 'neutral' ? <span className="tabular text-neutral-500">{s.text}</span> : <Tag tone={s.tone} title={s.title}>{s.text}</Tag>}
    </span>
  );
}

/** Ready messages; a stream's are what it retains, not a backlog, and say so. */
export function ReadyCell({ q, warnAbove = 0, alarmAbove = 1000 }: { q: Pick<QueueRow, 'messagesReady' | 'retention'>; warnAbove?: number; alarmAbove?: number }) {
  if (q.retention)
    return (
      <span className="tabular text-neutral-500" title={`${retentionText(q.retention)}: what a stream keeps for its readers, not a backlog`}>
        retains {formatCount(q.retention.messages)}
      </span>
    );
  return <Count value={q.messagesReady} warnAbove={warnAbove} alarmAbove={alarmAbove} />;
}
