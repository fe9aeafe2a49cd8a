'use client';
import { Link } from '../ui/link';
import { useExchange } from '@/lib/client/hooks';
import { componentHref, exchangeHref, queueHref } from '@/lib/client/links';
import { exchangeLabel } from '@/lib/domain/exchanges';
import { GroupBadge, Tag } from '../ui/badges';
import { Card, Empty, KeyValues, tableCls, td, th, trCls } from '../ui/card';
import { PageFrame } from '../ui/page-frame';
import { QueueTable } from '../queues/queue-table';
import { RouteTester } from './route-tester';

export function ExchangeDetailPage({ vhost, name }: { vhost: string; name: string }) {
  const query = useExchange(vhost, name);
  return (
    <PageFrame kicker={<><Link href="/exchanges" className="hover:underline">Exchanges</Link> · vhost {vhost}</>} title={exchangeLabel(name)} query={query} documentTitle={`Exchange ${exchangeLabel(name)}`}>
      {({ exchange: e, bindings, queues }) => {
        // Bindings from this exchange are the rule; show the source only when some come from elsewhere.
        const showSource = bindings.some((b) => b.source !== e.name);
        return (
        <div className="space-y-3">
          <div className="grid gap-3 lg:grid-cols-[minmax(280px,1fr)_2fr]">
            <Card title="Exchange">
              <KeyValues
                items={[
                  ['group', <GroupBadge key="g" group={e.group} />],
                  ['component', e.component ? <Link className="text-accent-600 hover:underline" href={componentHref(e.component)}>{e.component}</Link> : '–'],
                  ['type', e.type],
                  ['vhost', e.vhost],
                  [
                    'flags',
                    <span key="f" className="flex flex-wrap gap-1">
                      <Tag>{e.durable ? 'durable' : 'transient'}</Tag>
                      {e.autoDelete && <Tag>auto-delete</Tag>}
                      {e.internal && <Tag>internal</Tag>}
                    </span>,
                  ],
                  ['arguments', Object.keys(e.arguments).length ? <code className="text-xs">{JSON.stringify(e.arguments)}</code> : 'none'],
                  ['bindings', String(e.bindingCount)],
                ]}
              />
              {e.name === '' && (
                <p className="mt-2 text-xs text-neutral-500">
                  The default exchange routes to the queue named by the routing key: modern oslo.messaging replies go this way.
                </p>
              )}
            </Card>
            <Card title={`Bindings (${bindings.length})`} bodyClassName="p-0">
              {bindings.length === 0 ? (
                <Empty>{e.name === '' ? 'implicit: every queue, by its name' : 'no bindings'}</Empty>
              ) : (
                <div className="max-h-[420px] overflow-auto">
                  <table className={tableCls}>
                    <thead className="sticky top-0 bg-white">
                      <tr>
                        {showSource && <th className={th}>source</th>}
                        <th className={th}>routing key</th>
                        <th className={th}>destination</th>
                      </tr>
                    </thead>
                    <tbody>
                      {bindings.map((b, i) => (
                        <tr key={i} className={trCls}>
                          {showSource && (
                            <td className={`${td} name-wrap`}>
                              <Link className="text-accent-600 hover:underline" href={exchangeHref(b.vhost, b.source)}>
                                {exchangeLabel(b.source)}
                              </Link>
                            </td>
                          )}
                          <td className={`${td} name-wrap font-mono text-[12px]`}>{b.routingKey === '' ? <span className="text-neutral-400">(empty)</span> : b.routingKey}</td>
                          <td className={`${td} name-wrap`}>
                            <span className="mr-1 text-xs text-neutral-500">{b.destinationType}</span>
                            <Link
                              className="text-accent-600 hover:underline"
                              href={b.destinationType === 'queue' ? queueHref(b.vhost, b.destination) : exchangeHref(b.vhost, b.destination)}
                            >
                              {b.destination}
                            </Link>
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </Card>
          </div>
          <RouteTester exchange={e} />
          <Card title={`Queues (${queues.length})`} bodyClassName="p-0">
            <QueueTable rows={queues} showHost empty="no queue bound" />
          </Card>
        </div>
        );
      }}
    </PageFrame>
  );
}
