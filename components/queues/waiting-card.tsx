'use client';
// "What is waiting": read the first messages of a queue, on an explicit click only.
import { Link } from '../ui/link';
import { useState } from 'react';
import type { PeekResponse, Queue } from '@/lib/api/schemas';
import { useClusterActions, usePeek } from '@/lib/client/hooks';
import { queueHref } from '@/lib/client/links';
import { Tag } from '../ui/badges';
import { Card, tableCls, td, tdNum, th, thNum, trCls } from '../ui/card';
import { Banner } from '../ui/page-frame';
import { Spinner } from '../services/ping-button';
import { DEFAULT_PEEK_COUNT, PEEK_COUNTS, peekBlocked, peekCount, peekRow } from './peek-shaping';

export function WaitingCard({ queue }: { queue: Pick<Queue, 'vhost' | 'name' | 'type' | 'messagesReady'> }) {
  const { actions, error: actionsError } = useClusterActions();
  const peek = usePeek(queue.vhost, queue.name);
  const [count, setCount] = useState(DEFAULT_PEEK_COUNT);
  const blocked = peekBlocked(queue, actions?.peek ?? null);
  const quorum = queue.type === 'quorum';

  return (
    <Card title="What is waiting" bodyClassName="space-y-3 p-3">
      {actions === null ? (
        <p className="text-[13px] text-neutral-500">{actionsError ? `cannot tell whether reading is enabled: ${(actionsError as Error).message}` : 'checking whether reading a backlog is enabled…'}</p>
      ) : blocked ? (
        <p className="text-[13px] text-neutral-700" data-testid="peek-disabled">
          <span className="font-semibold">Reading this backlog is not available: </span>
          {blocked}
        </p>
      ) : (
        <>
          <p className="max-w-[110ch] text-[13px] leading-5 text-neutral-700">
            Reading takes the first messages off the queue and puts them straight back (requeue): they stay in place and in order, but come
            back <span className="font-semibold">marked redelivered</span>
            {quorum ? (
              <>
                , and on this <span className="font-semibold">quorum queue each read counts towards the delivery limit</span>: a message read
                too often is dropped or dead-lettered
              </>
            ) : (
              <> (on quorum queues each read would also count towards the delivery limit)</>
            )}
            . While they are held, a consumer that attaches cannot get them. Nothing is read until you click.
          </p>
          <div className="flex flex-wrap items-center gap-2">
            <label className="flex items-center gap-1 text-xs text-neutral-600">
              <span>messages</span>
              <select
                aria-label="how many messages to read"
                value={count}
                onChange={(e) => setCount(peekCount(e.target.value))}
                className="rounded border border-neutral-300 bg-white px-1.5 py-1 text-[13px] text-neutral-900"
              >
                {PEEK_COUNTS.map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </select>
            </label>
            <button
              type="button"
              disabled={peek.isPending}
              onClick={() => peek.mutate({ count })}
              className="rounded border border-accent-600 bg-accent-600 px-2.5 py-1 text-xs font-semibold text-white hover:bg-accent-700 disabled:opacity-60"
            >
              Read the first {count} message{count === 1 ? '' : 's'}
            </button>
            {peek.isPending && <Spinner label="reading" />}
            <span className="text-xs text-neutral-500">{queue.messagesReady === null ? '' : `${queue.messagesReady} ready now`}</span>
          </div>
        </>
      )}
      {peek.error && (
        <Banner tone="red" title="Could not read the queue">
          {peek.error.message}
        </Banner>
      )}
      {peek.data && !peek.isPending && <PeekResult data={peek.data} />}
    </Card>
  );
}

function PeekResult({ data }: { data: PeekResponse }) {
  const rows = data.messages.map(peekRow);
  return (
    <div className="space-y-2" data-testid="peek-result">
      <div className="rounded border border-amber-200 bg-amber-50 px-2 py-1 text-xs text-amber-900">{data.note}</div>
      <div className="text-xs text-neutral-600">
        read {rows.length} of {data.requested} asked
        {rows.length < data.requested && ' (that is all there was)'}
        {data.byMethod.length > 0 && (
          <span className="ml-2 inline-flex flex-wrap gap-1 align-middle" data-testid="peek-by-method">
            {data.byMethod.map((m) => (
              <Tag key={m.method}>
                {m.method} × {m.count}
              </Tag>
            ))}
          </span>
        )}
      </div>
      {rows.length > 0 && (
        <div className="overflow-x-auto rounded border border-neutral-200">
          <table className={tableCls} aria-label="messages read">
            <thead>
              <tr>
                <th className={thNum}>#</th>
                <th className={th}>kind</th>
                <th className={th}>method</th>
                <th className={th}>namespace · version</th>
                <th className={th}>msg id</th>
                <th className={th}>reply queue</th>
                <th className={th}>timeout</th>
                <th className={th}>request id</th>
                <th className={th}>user</th>
                <th className={th}>project</th>
                <th className={th}>payload</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.position} className={trCls}>
                  <td className={tdNum}>{r.position}</td>
                  <td className={td}>
                    <Tag tone={r.kind === 'call' ? 'accent' : r.kind === 'unknown' ? 'amber' : 'neutral'}>{r.kind}</Tag>
                    {r.redelivered && <span className="ml-1 text-[11px] text-amber-700" title="delivered before (read earlier, or a consumer gave it back)">redelivered</span>}
                  </td>
                  <td className={`${td} name-wrap font-mono text-[12px] font-medium`}><Dash v={r.method} /></td>
                  <td className={`${td} name-wrap text-[12px]`}><Dash v={r.namespaceVersion} /></td>
                  <td className={`${td} name-wrap font-mono text-[11px] text-neutral-600`}><Dash v={r.msgId} /></td>
                  <td className={`${td} name-wrap font-mono text-[11px]`}>
                    {r.replyQueue ? <ReplyQueueLink vhost={data.queue.vhost} name={r.replyQueue} /> : <span className="text-neutral-400">–</span>}
                  </td>
                  <td className={`${td} whitespace-nowrap`}><Dash v={r.timeout} /></td>
                  <td className={`${td} name-wrap font-mono text-[11px]`}><Dash v={r.requestId} /></td>
                  <td className={`${td} name-wrap`}><Dash v={r.user} /></td>
                  <td className={`${td} name-wrap`}><Dash v={r.project} /></td>
                  <td className={`${td} min-w-[14rem]`}>
                    <details>
                      <summary className="cursor-pointer text-xs text-accent-600">
                        {r.payload.length} chars{r.payloadTruncated ? ', truncated' : ''}
                      </summary>
                      <pre className="mt-1 max-h-72 max-w-[48rem] overflow-auto whitespace-pre-wrap break-all rounded bg-neutral-50 p-2 font-mono text-[11px] text-neutral-800">{r.payload}</pre>
                    </details>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

/** Reply queues live in the same vhost as the request (reply_<id>). */
function ReplyQueueLink({ vhost, name }: { vhost: string; name: string }) {
  return (
    <Link href={queueHref(vhost, name)} className="text-accent-600 hover:underline">
      {name}
    </Link>
  );
}

function Dash({ v }: { v: string }) {
  return v === '–' ? <span className="text-neutral-400">–</span> : <>{v}</>;
}
