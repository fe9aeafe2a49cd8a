'use client';
// Findings where the operator already is: the overview's panel, and the
// findings about one queue or one process near the top of its page.
import { Link } from '../ui/link';
import type { FindingView } from '@/lib/api/schemas';
import { useFindings } from '@/lib/client/hooks';
import { findingsHref } from '@/lib/client/links';
import { SEVERITIES } from '@/lib/domain/vocabulary';
import { useNow } from '@/lib/client/refresh';
import { Card } from '../ui/card';
import { SkeletonBlock } from '../ui/skeleton';
import { AllIsWell, FindingLine, SeverityBadge } from './finding-item';
import { mostSevere } from './findings-shaping';

const INFO_LIMIT = 6;

const RULE_TONE = {
  critical: 'bg-red-50 text-red-800 ring-red-200 hover:bg-red-100',
  warning: 'bg-amber-50 text-amber-900 ring-amber-200 hover:bg-amber-100',
  info: 'bg-sky-50 text-sky-800 ring-sky-200 hover:bg-sky-100',
} as const;

/**
 * The overview's first card: counts by severity and by rule, then every
 * critical and warning finding (the list scrolls), info only counted; or the
 * all-is-well state.
 */
/** The most findings the overview lists; the rest are counted. */
const PANEL_LIMIT = 50;

export function FindingsPanel({ queues, processes }: { queues: number; processes: number }) {
  const { data, error } = useFindings({ limit: PANEL_LIMIT });
  const now = useNow(5000);
  if (!data) {
    return (
      <Card title="Findings">
        {error ? <span className="text-[13px] text-red-700">findings unavailable: {(error as Error).message}</span> : <SkeletonBlock className="h-5 w-1/2" />}
      </Card>
    );
  }
  if (data.findings.length === 0) return <AllIsWell queues={queues} processes={processes} compact />;
  const attention = mostSevere(data.findings.filter((f) => f.severity !== 'info'));
  const shown = attention.length > 0 ? attention : mostSevere(data.findings, INFO_LIMIT);
  const hidden = data.total - shown.length;
  const worst = shown[0]?.severity;
  return (
    <Card
      title={
        <span className="flex items-center gap-3">
          <Link href={findingsHref()} className="hover:underline">
            Findings
          </Link>
          <span className="flex items-center gap-2 text-xs font-normal" data-testid="finding-counts">
            {SEVERITIES.filter((s) => (data.counts[s] ?? 0) > 0).map((s) => (
              <span key={s} className="flex items-center gap-1">
                <SeverityBadge severity={s} />
                <span className="tabular font-semibold text-neutral-800">{data.counts[s]}</span>
              </span>
            ))}
          </span>
        </span>
      }
      actions={
        <Link href={findingsHref()} className="text-xs text-accent-600 hover:underline">
          {hidden > 0 ? `all ${data.total} findings (${hidden} more) →` : 'findings page →'}
        </Link>
      }
      bodyClassName="p-0"
      className={worst === 'critical' ? 'border-red-300' : worst === 'warning' ? 'border-amber-300' : ''}
    >
      <div className="flex flex-wrap gap-1 border-b border-neutral-100 px-3 py-1.5" aria-label="findings by rule">
        {data.byRule.map((r) => (
          <Link
            key={r.rule}
            href={findingsHref({ rule: r.rule })}
            className={`inline-flex items-center gap-1 rounded px-1.5 py-px text-[11px] leading-4 ring-1 ring-inset ${RULE_TONE[r.severity]}`}
          >
            <span className="font-mono">{r.rule}</span>
            <span className="tabular font-semibold">{r.count}</span>
          </Link>
        ))}
      </div>
      <ul className="max-h-[26rem] divide-y divide-neutral-100 overflow-y-auto" data-testid="findings-panel">
        {shown.map((f) => (
          <FindingLine key={f.id} finding={f} now={now} isNew={f.isNew} />
        ))}
      </ul>
    </Card>
  );
}

export function SubjectFindings({ findings, what }: { findings: FindingView[]; what: string }) {
  const now = useNow(5000);
  if (findings.length === 0) return null;
  const top = mostSevere(findings);
  return (
    <Card
      title={`Findings about this ${what} (${findings.length})`}
      actions={
        <Link href={findingsHref()} className="text-xs text-accent-600 hover:underline">
          all findings →
        </Link>
      }
      bodyClassName="p-0"
      className={top[0]?.severity === 'critical' ? 'border-red-300' : top[0]?.severity === 'warning' ? 'border-amber-300' : ''}
    >
      <ul className="divide-y divide-neutral-100" data-testid="subject-findings">
        {top.map((f) => (
          <FindingLine key={f.id} finding={f} now={now} isNew={f.isNew} full />
        ))}
      </ul>
    </Card>
  );
}

export function QueueFindings({ vhost, name }: { vhost: string; name: string }) {
  const { data } = useFindings({ vhost, queue: name });
  if (!data) return null;
  return <SubjectFindings findings={data.findings} what="queue" />;
}

export function ProcessFindings({ processId }: { processId: string }) {
  const { data } = useFindings({ process: processId });
  if (!data) return null;
  return <SubjectFindings findings={data.findings} what="process" />;
}
