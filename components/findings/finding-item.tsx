'use client';
// One finding as the operator reads it, and the pieces around it.
import { Link } from '../ui/link';
import type { Finding } from '@/lib/api/schemas';
import type { Severity } from '@/lib/domain/vocabulary';
import { componentHref, findingHref, subjectHref } from '@/lib/client/links';
import { formatAge, formatCount } from '../ui/format';
import { evidenceChips, formatSince, SUBJECT_KIND, subjectLabel } from './findings-shaping';
import { HostLink } from '../hosts/host-link';

const SEVERITY_STYLE: Record<Severity, { label: string; badge: string; border: string; dot: string }> = {
  critical: { label: 'critical', badge: 'bg-red-600 text-white ring-red-600', border: 'border-l-red-500', dot: 'bg-red-500' },
  warning: { label: 'warning', badge: 'bg-amber-100 text-amber-900 ring-amber-300', border: 'border-l-amber-400', dot: 'bg-amber-400' },
  info: { label: 'info', badge: 'bg-sky-50 text-sky-800 ring-sky-200', border: 'border-l-sky-300', dot: 'bg-sky-400' },
};

export const SEVERITY_TITLE: Record<Severity, string> = { critical: 'Critical', warning: 'Warning', info: 'Info' };

export function SeverityBadge({ severity }: { severity: Severity }) {
  const s = SEVERITY_STYLE[severity];
  return (
    <span className={`inline-flex items-center rounded px-1.5 py-px text-[11px] font-semibold uppercase leading-4 tracking-wide ring-1 ring-inset ${s.badge}`} data-severity={severity}>
      {s.label}
    </span>
  );
}

export function SeverityDot({ severity }: { severity: Severity }) {
  return <span className={`inline-block h-2 w-2 shrink-0 rounded-full ${SEVERITY_STYLE[severity].dot}`} aria-hidden />;
}

export function NewMarker() {
  return (
    <span className="rounded bg-accent-600 px-1 py-px text-[10px] font-bold uppercase leading-4 tracking-wide text-white" title="first seen in the latest refresh">
      new
    </span>
  );
}

export function SubjectLink({ finding }: { finding: Pick<Finding, 'subject'> }) {
  const href = subjectHref(finding.subject);
  const label = subjectLabel(finding.subject);
  const kind = SUBJECT_KIND[finding.subject.type];
  return (
    <span className="name-wrap">
      <span className="text-neutral-500">{kind} </span>
      {href ? (
        <Link href={href} className="font-medium text-accent-600 hover:underline" data-testid="finding-subject">
          {label}
        </Link>
      ) : (
        <span className="font-medium">{label}</span>
      )}
      {finding.subject.type === 'queue' && <span className="text-neutral-500"> · vhost {finding.subject.vhost}</span>}
    </span>
  );
}

/** Component and host, each linking to where it can be seen. */
export function WhereTags({ finding }: { finding: Pick<Finding, 'component' | 'host'> }) {
  if (!finding.component && !finding.host) return null;
  return (
    <span className="flex flex-wrap items-center gap-x-2 text-neutral-600">
      {finding.component && (
        <span>
          component{' '}
          <Link href={componentHref(finding.component)} className="font-medium text-neutral-800 hover:underline">
            {finding.component}
          </Link>
        </span>
      )}
      {finding.host && (
        <span>
          host{' '}
          <HostLink host={finding.host} className="font-medium text-neutral-800 hover:underline" />
        </span>
      )}
    </span>
  );
}

export function EvidenceChips({ evidence }: { evidence: Finding['evidence'] }) {
  const chips = evidenceChips(evidence);
  if (chips.length === 0) return null;
  return (
    <ul className="flex flex-wrap gap-1" aria-label="evidence">
      {chips.map(([k, v]) => (
        <li key={k} className="name-wrap inline-flex max-w-full items-baseline rounded bg-neutral-100 px-1.5 py-px text-[11px] leading-4 ring-1 ring-inset ring-neutral-200">
          <span className="text-neutral-500">{k}</span>
          <span className="ml-1 font-mono font-medium text-neutral-800">{v}</span>
        </li>
      ))}
    </ul>
  );
}

/** A finding in full: title, marker, age, subject, where, explanation, evidence. */
export function FindingItem({
  finding,
  now,
  isNew = false,
  resolvedAt,
  highlight = false,
  titleHref,
}: {
  finding: Finding;
  now: number;
  isNew?: boolean;
  resolvedAt?: number;
  highlight?: boolean;
  /** Makes the title a link (e.g. to the findings page). */
  titleHref?: string;
}) {
  const s = SEVERITY_STYLE[finding.severity];
  return (
    <article
      id={`finding-${finding.id}`}
      className={`rounded-md border border-l-4 border-neutral-200 ${resolvedAt ? 'border-l-emerald-400 bg-neutral-50/60' : s.border} bg-white px-3 py-2 ${highlight ? 'ring-2 ring-accent-500' : ''}`}
      data-testid="finding"
      data-rule={finding.rule}
      data-severity={finding.severity}
      data-host={finding.host ?? undefined}
    >
      <div className="flex items-start gap-2">
        <span className="flex shrink-0 items-center gap-1 pt-px">
          <SeverityBadge severity={finding.severity} />
          {isNew && <NewMarker />}
        </span>
        <h3 className={`name-wrap min-w-0 flex-1 text-[13px] font-semibold leading-5 ${resolvedAt ? 'text-neutral-600 line-through decoration-neutral-300' : 'text-neutral-900'}`}>
          {titleHref ? (
            <Link href={titleHref} className="hover:underline">
              {finding.title}
            </Link>
          ) : (
            finding.title
          )}
        </h3>
        <span className="shrink-0 whitespace-nowrap pt-0.5 text-xs text-neutral-500" title={new Date(finding.since).toISOString()}>
          {resolvedAt ? <>resolved {formatAge(resolvedAt, now)} ago · lasted {formatAge(finding.since, resolvedAt)}</> : formatSince(finding.since, now, raisedOf(finding))}
        </span>
      </div>
      <div className="mt-1 flex flex-wrap items-center gap-x-4 gap-y-0.5 text-xs">
        <SubjectLink finding={finding} />
        <WhereTags finding={finding} />
        <span className="font-mono text-[11px] text-neutral-400">{finding.rule}</span>
      </div>
      {!resolvedAt && <p className="name-wrap mt-1.5 max-w-[110ch] text-[13px] leading-5 text-neutral-800" data-testid="finding-explanation">{finding.explanation}</p>}
      <div className="mt-1.5">
        <EvidenceChips evidence={finding.evidence} />
      </div>
    </article>
  );
}

const raisedOf = (f: Finding & { raised24h?: number | null }): number | null => f.raised24h ?? null;

/** A compact line for the overview panel and subject pages: links on to the full finding. */
export function FindingLine({ finding, now, isNew, full = false }: { finding: Finding; now: number; isNew: boolean; full?: boolean }) {
  return (
    <li className="flex min-w-0 items-start gap-2 px-3 py-2" data-testid="finding" data-rule={finding.rule} data-severity={finding.severity} data-host={finding.host ?? undefined}>
      <span className="mt-1.5">
        <SeverityDot severity={finding.severity} />
      </span>
      <div className="min-w-0 flex-1">
        <div className="flex flex-wrap items-center gap-x-2">
          <Link href={findingHref(finding.id)} className="name-wrap text-[13px] font-semibold text-neutral-900 hover:underline">
            {finding.title}
          </Link>
          {isNew && <NewMarker />}
          <span className="whitespace-nowrap text-xs text-neutral-500" title={new Date(finding.since).toISOString()}>
            {formatSince(finding.since, now, raisedOf(finding))}
          </span>
        </div>
        <div className="flex flex-wrap items-center gap-x-3 text-xs">
          <SubjectLink finding={finding} />
          <WhereTags finding={finding} />
        </div>
        <p
          className={`name-wrap text-xs leading-5 ${full ? 'mt-0.5 max-w-[110ch] text-[13px] text-neutral-800' : 'line-clamp-1 text-neutral-600'}`}
          title={full ? undefined : finding.explanation}
          data-testid="finding-explanation"
        >
          {finding.explanation}
        </p>
        {full && (
          <div className="mt-1">
            <EvidenceChips evidence={finding.evidence} />
          </div>
        )}
      </div>
    </li>
  );
}

/** The green state: nothing found. */
export function AllIsWell({ queues, processes, compact = false }: { queues: number | null; processes: number | null; compact?: boolean }) {
  return (
    <div
      role="status"
      data-testid="all-is-well"
      className={`flex items-center gap-3 rounded-md border border-emerald-200 bg-emerald-50 text-emerald-900 ${compact ? 'px-3 py-2' : 'px-4 py-4'}`}
    >
      <span className={`inline-flex shrink-0 items-center justify-center rounded-full bg-emerald-500 font-bold text-white ${compact ? 'h-5 w-5 text-xs' : 'h-8 w-8 text-base'}`} aria-hidden>
        ✓
      </span>
      <div>
        <div className={`font-semibold ${compact ? 'text-[13px]' : 'text-base'}`}>
          All is well: no finding on {queues === null ? '…' : formatCount(queues)} queue{queues === 1 ? '' : 's'},{' '}
          {processes === null ? '…' : formatCount(processes)} process{processes === 1 ? '' : 'es'}
        </div>
        {!compact && <div className="text-[13px] text-emerald-800">Every rule was checked against the latest snapshot of the broker.</div>}
      </div>
    </div>
  );
}
