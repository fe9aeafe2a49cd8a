'use client';
// Upgrade readiness: what the coming RabbitMQ versions take away that this cloud still uses.
// The verdict first, then each check with what to change, then how far each service has moved.
import type { UpgradeResponse } from '@/lib/api/schemas';
import { useUpgrade } from '@/lib/client/hooks';
import { Tag } from '../ui/badges';
import { PageFrame } from '../ui/page-frame';
import { CheckCard } from './upgrade-checks';
import { MigrationTable } from './migration-table';
import { CHECK_TITLE, checkCountText, checksOf, type Tone, verdict } from './upgrade-shaping';
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
