'use client';
// Upgrade readiness: what the coming RabbitMQ versions take away that this cloud still uses.
// The verdict first, then each check with what to change, then how far each service has moved.
import type { UpgradeResponse } from '@/lib/api/schemas';
import { useUpgrade } from '@/lib/client/hooks';
import { Tag } from '../ui/badges';
import { PageFrame } from '../ui/page-frame';
import { CheckCard } from './upgrade-checks';
import { MigrationTable } from './migration-table';
import { CHECK_TITLE, checkCountText, checksOf, hopText, type Tone, verdict } from './upgrade-shaping';
import { StatusDot } from './upgrade-badges';

export function UpgradePage() {
  const query = useUpgrade();
  return (
    <PageFrame
      title="Upgrade readiness"
      subtitle="What the coming RabbitMQ versions take away that this cloud still uses, per OpenStack service, with the oslo.messaging option that changes it."
      query={query}
      documentTitle="Upgrade"
    >
      {(data) => <UpgradeBody data={data} />}
    </PageFrame>
  );
}

function UpgradeBody({ data }: { data: UpgradeResponse }) {
  const vhosts = new Set([
    ...data.services.map((s) => s.vhost),
    ...data.transientQueues.services.map((s) => s.vhost),
    ...data.mirroring.haArgumentQueues.map((s) => s.vhost),
    ...(data.mirroring.policies ?? []).map((p) => p.vhost),
    ...data.queueMasterLocator.queues.map((s) => s.vhost),
    ...(data.queueMasterLocator.policies ?? []).map((p) => p.vhost),
  ]);
  const showVhost = vhosts.size > 1;
  return (
    <div className="space-y-3">
      <VerdictCard data={data} />
      {checksOf(data).map((check) => (
        <CheckCard key={check.id} check={check} showVhost={showVhost} />
      ))}
      <MigrationTable services={data.services} showVhost={showVhost} />
    </div>
  );
}

const TONE_CLS: Record<Tone, string> = {
  red: 'border-l-red-500',
  amber: 'border-l-amber-400',
  green: 'border-l-emerald-500',
  neutral: 'border-l-neutral-300',
};

function VerdictCard({ data }: { data: UpgradeResponse }) {
  const v = verdict(data);
  return (
    <section className={`rounded-md border border-l-4 border-neutral-200 bg-white px-4 py-3 shadow-xs ${TONE_CLS[v.tone]}`} data-testid="upgrade-verdict" data-tone={v.tone}>
      <div className="flex flex-wrap items-start justify-between gap-x-6 gap-y-2">
        <div className="min-w-0">
          <h2 className="text-base font-semibold text-neutral-900" data-testid="upgrade-headline">
            {v.headline}
          </h2>
          {v.details.length > 0 && (
            <ul className="mt-0.5 text-[13px] text-neutral-600">
              {v.details.map((d) => (
                <li key={d}>{d}</li>
              ))}
            </ul>
          )}
        </div>
        <div className="flex flex-wrap items-center gap-1.5 text-xs">
          {data.changes.before.map((b) => (
            <Tag key={b.stop} tone={b.count > 0 ? 'amber' : 'green'} title={`changes to make before upgrading to RabbitMQ ${b.stop}`}>
              before {b.stop}: {b.count}
            </Tag>
          ))}
          {data.defaultQueueType && (
            <Tag title="the type a queue declared without x-queue-type gets (RabbitMQ 4.0+)">default queue type: {data.defaultQueueType}</Tag>
          )}
        </div>
      </div>
      <UpgradePathStrip path={data.path} />
      <nav className="mt-2.5 flex flex-wrap gap-x-4 gap-y-1 border-t border-neutral-100 pt-2 text-[13px]" aria-label="checks">
        {checksOf(data).map((c) => (
          <a key={c.id} href={`#check-${c.id}`} className="flex items-center gap-1.5 text-neutral-700 hover:text-neutral-900 hover:underline" data-testid="verdict-check" data-check={c.id}>
            <StatusDot status={c.status} />
            {CHECK_TITLE[c.id]}
            <span className="text-neutral-500">{checkCountText(c)}</span>
          </a>
        ))}
      </nav>
    </section>
  );
}

/** 3.10 → 3.11 → … → 4.3: where the broker is, the next hop, and what each hop left takes away. */
function UpgradePathStrip({ path }: { path: UpgradeResponse['path'] }) {
  if (path.current === null && path.note === null) return null;
  const [next] = path.hops;
  return (
    <div className="mt-2.5 border-t border-neutral-100 pt-2 text-[13px]" data-testid="upgrade-path">
      {path.current !== null && (
        <ol className="flex flex-wrap items-center gap-1" aria-label="in-place upgrade path">
          <li>
            <span className="rounded bg-neutral-800 px-1.5 py-0.5 font-mono text-xs text-white" title="the series this broker runs">
              {path.current} · here
            </span>
          </li>
          {path.hops.map((h) => (
            <li key={h.to} className="flex items-center gap-1" data-testid="upgrade-hop" data-to={h.to} title={`${hopText(h)}. Before it: ${h.needs}`}>
              <span className="text-neutral-400" aria-hidden>
                →
              </span>
              <span
                className={`rounded px-1.5 py-0.5 font-mono text-xs ring-1 ${
                  h.removes === null ? 'text-neutral-600 ring-neutral-200' : h.changes > 0 ? 'bg-amber-50 text-amber-900 ring-amber-300' : 'bg-emerald-50 text-emerald-900 ring-emerald-300'
                }`}
              >
                {h.to}
                {h.removes !== null && <span className="ml-1 font-sans">{h.changes > 0 ? `· ${h.changes} to change` : '· ready'}</span>}
              </span>
            </li>
          ))}
        </ol>
      )}
      {next && (
        <p className="mt-1 text-neutral-700" data-testid="upgrade-next-hop">
          Next hop: <span className="font-medium">RabbitMQ {next.to}</span>, once {next.needs}.
        </p>
      )}
      {path.hops
        .filter((h) => h.removes !== null)
        .map((h) => (
          <p key={h.to} className="text-neutral-600">
            {hopText(h)}
          </p>
        ))}
      {path.note && (
        <p className="mt-1 text-neutral-700" data-testid="upgrade-path-note">
          {path.note}
        </p>
      )}
    </div>
  );
}
