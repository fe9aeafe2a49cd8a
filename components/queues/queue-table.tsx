import type { ReactNode } from 'react';
import { Link } from '../ui/link';
import type { Process, QueueRow } from '@/lib/api/schemas';
import { queueHref } from '@/lib/client/links';
import { KindBadge } from '../ui/badges';
import { Empty, tableCls, td, tdNum, th, thNum, trCls } from '../ui/card';
import { Consumers, Count, Rate } from '../ui/numbers';
import { QueueProcesses } from '../processes/queue-processes';
import { needsConsumer } from '@/lib/domain/health';
import { refKey } from '@/lib/domain/keys';
import { HostLink } from '../hosts/host-link';
import { QueueTypeCell, ReadyCell } from './queue-cells';

/** A plain table of queues for detail pages (a few dozen rows at most). */
export function QueueTable({
  rows,
  processes,
  showKind = true,
  showHost = false,
  showVhost = false,
  empty = 'no queues',
  extra,
}: {
  rows: QueueRow[];
  /** One more column after the name, for what a page knows of each row (e.g. the binding that matched). */
  extra?: { header: string; cell: (q: QueueRow) => ReactNode };
  /** When given, the consuming processes are listed with links. */
  processes?: Record<string, Process>;
  showKind?: boolean;
  showHost?: boolean;
  showVhost?: boolean;
  empty?: string;
}) {
  if (rows.length === 0) return <Empty>{empty}</Empty>;
  // Clouds still on classic queues need no type column.
  const showType = rows.some((q) => q.type !== 'classic');
  return (
    <div className="overflow-x-auto">
      <table className={tableCls}>
        <thead>
          <tr>
            <th className={th}>queue</th>
            {extra && <th className={th}>{extra.header}</th>}
            {showKind && <th className={th}>kind</th>}
            {showType && <th className={th}>type</th>}
            {showHost && <th className={th}>host</th>}
            {showVhost && <th className={th}>vhost</th>}
            <th className={thNum}>consumers</th>
            {processes && <th className={th}>processes</th>}
            <th className={thNum}>ready</th>
            <th className={thNum}>unacked</th>
            <th className={thNum}>publish</th>
            <th className={thNum}>deliver</th>
            <th className={thNum}>ack</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((q) => (
            <tr key={refKey(q.vhost, q.name)} className={trCls}>
              <td className={`${td} name-wrap min-w-[14rem]`}>
                <Link href={queueHref(q.vhost, q.name)} className="text-accent-600 hover:underline">
                  {q.name}
                </Link>
              </td>
              {extra && <td className={`${td} name-wrap`}>{extra.cell(q)}</td>}
              {showKind && (
                <td className={td}>
                  <KindBadge kind={q.kind} />
                </td>
              )}
              {showType && (
                <td className={td}>
                  <QueueTypeCell q={q} />
                </td>
              )}
              {showHost && <td className={`${td} name-wrap`}>{q.host ? <HostLink host={q.host} /> : (q.server ?? <span className="text-neutral-400">–</span>)}</td>}
              {showVhost && <td className={`${td} name-wrap`}>{q.vhost}</td>}
              <td className={tdNum}>
                <Consumers value={q.consumers} expectConsumer={needsConsumer(q)} />
              </td>
              {processes && (
                <td className={td}>
                  <QueueProcesses q={q} processes={processes} />
                </td>
              )}
              <td className={tdNum}>
                <ReadyCell q={q} />
              </td>
              <td className={tdNum}>
                <Count value={q.messagesUnacknowledged} warnAbove={100} />
              </td>
              <td className={tdNum}>
                <Rate rates={q.rates} field="publish" />
              </td>
              <td className={tdNum}>
                <Rate rates={q.rates} field="deliver" />
              </td>
              <td className={tdNum}>
                <Rate rates={q.rates} field="ack" />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
