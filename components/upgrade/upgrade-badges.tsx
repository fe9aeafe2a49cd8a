// The colours of a check's status and of how far a service took an option.
import type { Adoption, UpgradeCheckStatus } from '@/lib/domain/vocabulary';
import { CHECK_STATUS_LABEL } from './upgrade-shaping';

const STATUS_STYLE: Record<UpgradeCheckStatus, { badge: string; dot: string }> = {
  'to-change': { badge: 'bg-amber-100 text-amber-900 ring-amber-300', dot: 'bg-amber-400' },
  'not-known': { badge: 'bg-neutral-100 text-neutral-700 ring-neutral-300', dot: 'bg-neutral-300' },
  clear: { badge: 'bg-emerald-50 text-emerald-700 ring-emerald-200', dot: 'bg-emerald-500' },
};

const ADOPTION_STYLE: Record<Adoption, { label: string; cls: string; title: string }> = {
  yes: { label: 'yes', cls: 'bg-emerald-50 text-emerald-700 ring-emerald-200', title: 'every queue of it that tells shows the option on' },
  partly: { label: 'partly', cls: 'bg-amber-50 text-amber-800 ring-amber-200', title: 'some of its queues show the option on, others not' },
  no: { label: 'no', cls: 'bg-neutral-100 text-neutral-700 ring-neutral-300', title: 'none of its queues shows the option on' },
  'not-known': { label: 'not known', cls: 'bg-white text-neutral-400 ring-neutral-200', title: 'none of its queues tells' },
};

const base = 'inline-flex items-center whitespace-nowrap rounded px-1.5 py-px text-[11px] font-semibold leading-4 ring-1 ring-inset';

export function StatusDot({ status }: { status: UpgradeCheckStatus }) {
  return <span className={`inline-block h-2 w-2 shrink-0 rounded-full ${STATUS_STYLE[status].dot}`} aria-hidden />;
}

export function CheckStatusBadge({ status }: { status: UpgradeCheckStatus }) {
  return (
    <span className={`${base} ${STATUS_STYLE[status].badge}`} data-testid="check-status">
      {CHECK_STATUS_LABEL[status]}
    </span>
  );
}

export function AdoptionBadge({ adoption }: { adoption: Adoption }) {
  const s = ADOPTION_STYLE[adoption];
  return (
    <span className={`${base} ${s.cls}`} title={s.title}>
      {s.label}
    </span>
  );
}
