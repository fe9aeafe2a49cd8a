'use client';
// How far each OpenStack service has moved off classic queues, option by option, as its queues show it.
import type { ServiceMigration } from '@/lib/api/schemas';
import { componentHref, processesHref } from '@/lib/client/links';
import { refKey } from '@/lib/domain/keys';
import { MIGRATION_OPTIONS } from '@/lib/domain/vocabulary';
import { Card, Empty, tableCls, td, tdNum, th, thNum, trCls } from '../ui/card';
import { Link } from '../ui/link';
import { AdoptionBadge } from './upgrade-badges';
import { OPTION_COLUMN } from './upgrade-shaping';

export function MigrationTable({ services, showVhost }: { services: ServiceMigration[]; showVhost: boolean }) {
  return (
    <Card
      title="Per service: how far it has moved"
      actions={<span className="text-xs text-neutral-600">{services.length === 1 ? '1 service' : `${services.length} services`}</span>}
      bodyClassName="p-0"
    >
      {services.length === 0 ? (
        <Empty>no OpenStack service on this broker (no oslo.messaging connection, no queue-manager name)</Empty>
      ) : (
        <div className="overflow-x-auto">
          <table className={tableCls} aria-label="migration per service" data-testid="migration-table">
            <thead>
              <tr>
                <th className={th}>service</th>
                <th className={th}>component</th>
                {showVhost && <th className={th}>vhost</th>}
                <th className={thNum} title="its processes connected now">
                  processes
                </th>
                {MIGRATION_OPTIONS.map((o) => (
                  <th key={o} className={th} title={OPTION_COLUMN[o].title}>
                    {OPTION_COLUMN[o].label}
                    <span className="block font-mono text-[10px] font-normal normal-case tracking-normal text-neutral-400">{o}</span>
                  </th>
                ))}
                <th className={thNum} title="its queues RabbitMQ 4.3 denies: neither durable nor exclusive">
                  transient queues
                </th>
              </tr>
            </thead>
            <tbody>
              {services.map((s) => (
                <tr key={refKey(s.vhost, s.binary)} className={trCls} data-testid="migration-row" data-binary={s.binary} data-vhost={s.vhost}>
                  <td className={`${td} name-wrap font-medium`}>
                    <Link href={processesHref({ q: s.binary, vhost: s.vhost })} className="text-neutral-900 hover:underline">
                      {s.binary}
                    </Link>
                  </td>
                  <td className={td}>
                    {s.component ? (
                      <Link href={componentHref(s.component)} className="hover:underline">
                        {s.component}
                      </Link>
                    ) : (
                      <span className="text-neutral-400">–</span>
                    )}
                  </td>
                  {showVhost && <td className={`${td} name-wrap`}>{s.vhost}</td>}
                  <td className={tdNum}>{s.processes}</td>
                  {MIGRATION_OPTIONS.map((o) => {
                    const a = s.options[o];
                    return (
                      <td key={o} className={td} data-option={o} data-adoption={a.adoption}>
                        <span className="flex items-center gap-1.5">
                          <AdoptionBadge adoption={a.adoption} />
                          {a.of > 0 && (
                            <span className="tabular text-xs text-neutral-500" title={`${a.migrated} of the ${a.of} queues that tell`}>
                              {a.migrated}/{a.of}
                            </span>
                          )}
                        </span>
                      </td>
                    );
                  })}
                  <td className={`${tdNum} ${s.transientQueues > 0 ? 'font-semibold text-amber-700' : 'text-neutral-500'}`}>{s.transientQueues}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="border-t border-neutral-100 px-3 py-2 text-xs text-neutral-500">
        Read from the queues each service consumes, or whose names carry it: quorum topic and server queues mean rabbit_quorum_queue; quorum reply and fanout queues,
        rabbit_transient_quorum_queue; one shared stream <span className="font-mono">&lt;topic&gt;_fanout</span>, rabbit_stream_fanout; names like{' '}
        <span className="font-mono">reply_&lt;host&gt;:&lt;binary&gt;:&lt;n&gt;</span>, use_queue_manager. A figure counts the queues that show the option on, of those that tell.
      </p>
    </Card>
  );
}
