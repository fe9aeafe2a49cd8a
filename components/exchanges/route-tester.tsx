'use client';
// "Where does this message go?": a routing key typed against this exchange, answered from the
// bindings the broker reported (nothing is published). The key lives in the URL (`?key=`).
import { useCallback } from 'react';
import type { Exchange } from '@/lib/api/schemas';
import { useRoute } from '@/lib/client/hooks';
import { exchangeHref } from '@/lib/client/links';
import { exchangeLabel } from '@/lib/domain/exchanges';
import { useUrlFilters, useUrlText } from '@/lib/client/url-state';
import { Card } from '../ui/card';
import { Link } from '../ui/link';
import { QueueTable } from '../queues/queue-table';

function parseKey(sp: URLSearchParams): { key?: string } {
  const key = sp.get('key');
  return key === null ? {} : { key };
}

export function RouteTester({ exchange: e }: { exchange: Exchange }) {
  const toHref = useCallback((f: { key?: string }) => exchangeHref(e.vhost, e.name, f.key), [e.vhost, e.name]);
  const [filters, setFilters] = useUrlFilters(parseKey, toHref);
  const [text, setText] = useUrlText(filters.key, (key) => setFilters({ key }), 250);
  // A fanout exchange ignores the key: there is an answer before anything is typed.
  const key = filters.key ?? (e.type === 'fanout' ? '' : null);
  const { data, error, isFetching } = useRoute(e.vhost, e.name, key);

  return (
    <Card
      title="Where does a message go?"
      actions={<span className="text-xs text-neutral-500">computed from the bindings; nothing is published</span>}
      bodyClassName="p-0"
    >
      <div className="flex flex-wrap items-center gap-2 border-b border-neutral-100 px-3 py-2 text-[13px]">
        <label htmlFor="routing-key" className="text-neutral-600">
          routing key
        </label>
        <input
          id="routing-key"
          value={text}
          onChange={(ev) => setText(ev.target.value)}
          placeholder={e.type === 'topic' ? 'e.g. compute.host1 or notifications.info' : e.name === '' ? 'a queue name' : 'a routing key'}
          spellCheck={false}
          className="w-96 rounded border border-neutral-300 bg-white px-2 py-1 font-mono text-[12px] outline-none focus:border-accent-500 focus:ring-2 focus:ring-accent-100"
        />
        {data && key !== null && (
          <span className="text-neutral-700" data-testid="route-summary">
            {data.queueTotal === 0 ? (
              <span className="font-medium text-red-700">reaches no queue</span>
            ) : (
              <>
                reaches <span className="font-semibold">{data.queueTotal}</span> queue{data.queueTotal === 1 ? '' : 's'}
              </>
            )}{' '}
            through {data.matchedBindings} matching binding{data.matchedBindings === 1 ? '' : 's'}
            {data.exchanges.length > 1 && (
              <>
                {' '}
                via{' '}
                {data.exchanges.slice(1).map((x, i) => (
                  <span key={x}>
                    {i > 0 && ', '}
                    <Link className="text-accent-600 hover:underline" href={exchangeHref(e.vhost, x)}>
                      {exchangeLabel(x)}
                    </Link>
                  </span>
                ))}
              </>
            )}
            {isFetching && <span className="ml-2 text-neutral-400">…</span>}
          </span>
        )}
      </div>
      {error ? (
        <p className="px-3 py-2 text-[13px] text-red-800" role="alert">
          {error instanceof Error ? error.message : String(error)}
        </p>
      ) : null}
      {data && key !== null && data.notes.length > 0 && (
        <ul className="border-b border-neutral-100 px-3 py-2 text-xs text-neutral-600">
          {data.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      )}
      {key === null ? (
        <p className="px-3 py-3 text-[13px] text-neutral-500">Type a routing key to see the queues it reaches and who consumes them.</p>
      ) : (
        data &&
        data.queueTotal > 0 && (
          <>
            <QueueTable
              rows={data.queues}
              processes={data.processes}
              showHost
              extra={{
                header: 'matched by',
                cell: (q) => {
                  const r = data.queues.find((x) => x.name === q.name);
                  if (!r) return null;
                  const via = r.through.length > 1 ? ` on ${exchangeLabel(r.through.at(-1)!)}` : '';
                  return <span className="font-mono text-[12px]">{r.bindingKey === null ? `fanout${via}` : `${r.bindingKey}${via}`}</span>;
                },
              }}
            />
            {data.queueTotal > data.queues.length && (
              <p className="border-t border-neutral-100 px-3 py-1.5 text-xs text-neutral-500">
                the {data.queues.length} worst of {data.queueTotal} queues (no consumer first, then the biggest backlog)
              </p>
            )}
          </>
        )
      )}
    </Card>
  );
}
