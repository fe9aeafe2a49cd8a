// Pure shaping for findings: grouping by severity, filters, which findings are
// about one queue or process, how their evidence and age read.
import type { FindingView } from '@/lib/api/schemas';
import type { Finding, FindingSubject } from '@/lib/api/schemas';
import { isOneOf, RULE_IDS, type RuleId, SEVERITIES, type Severity } from '@/lib/domain/vocabulary';
import type { FindingsFilters } from '@/lib/client/links';
import { sortFindings } from '@/lib/domain/findings/order';
import { formatDuration } from '../ui/format';


export interface SeverityGroup<F> {
  severity: Severity;
  findings: F[];
}

/** Findings by severity, most severe first; each group keeps the server's order (oldest `since` first within ties). */
export function groupBySeverity<F extends Pick<Finding, 'severity'>>(findings: F[]): SeverityGroup<F>[] {
  return SEVERITIES.map((severity) => ({ severity, findings: findings.filter((f) => f.severity === severity) }));
}

/** The most severe findings first (the server's order), at most `limit`. */
export function mostSevere<F extends Pick<Finding, 'severity' | 'since' | 'rule' | 'id'>>(findings: F[], limit = Infinity): F[] {
  return sortFindings(findings).slice(0, limit);
}

export { countByRule } from '@/lib/domain/findings/order';

export function subjectLabel(s: FindingSubject): string {
  switch (s.type) {
    case 'queue':
      return s.name;
    case 'process':
      return s.id;
    case 'connection':
      return s.processId ?? s.name;
    case 'node':
      return s.name;
  }
}

export const SUBJECT_KIND: Record<FindingSubject['type'], string> = {
  queue: 'queue',
  process: 'process',
  connection: 'connection',
  node: 'node',
};

/** Keeps the findings whose rule is `rule` (if given) and whose text contains `q` (case-insensitive). */
export function filterFindings<F extends Finding>(findings: F[], f: Pick<FindingsFilters, 'rule' | 'q'>): F[] {
  const needle = (f.q ?? '').trim().toLowerCase();
  return findings.filter((x) => {
    if (f.rule && x.rule !== f.rule) return false;
    if (!needle) return true;
    const hay = [x.title, x.explanation, x.component ?? '', x.host ?? '', subjectLabel(x.subject), x.rule, x.subject.type === 'queue' ? x.subject.vhost : '']
      .join('\u0000')
      .toLowerCase();
    return hay.includes(needle);
  });
}

/** "for 3 min" */
/** "for 3 min"; past an hour, when it started too: "since 02:13, for 27 h". */
export function formatSince(since: number, now: number, raised24h: number | null = null): string {
  const d = new Date(since);
  const clock = `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
  const text = now - since < 3_600_000 ? `for ${formatDuration(now - since)}` : `since ${clock}, for ${formatDuration(now - since)}`;
  return raised24h !== null && raised24h > 1 ? `${text} · raised ${raised24h} times in 24 h` : text;
}

/** Evidence as chips: [key, value text], keys in the rule's order, nulls as "–". */
export function evidenceChips(evidence: Finding['evidence']): [string, string][] {
  return Object.entries(evidence).map(([k, v]) => [k, v === null ? '–' : typeof v === 'boolean' ? (v ? 'yes' : 'no') : String(v)]);
}

/** Counts shown in the header's badge: what needs attention (critical + warning), and its tone. */
export function attentionBadge(counts: Record<Severity, number> | undefined): { count: number; tone: 'red' | 'amber' } | null {
  if (!counts) return null;
  const count = (counts.critical ?? 0) + (counts.warning ?? 0);
  if (count === 0) return null;
  return { count, tone: counts.critical > 0 ? 'red' : 'amber' };
}

interface ParamsLike {
  get(name: string): string | null;
}

export function parseFindingsFilters(sp: ParamsLike): FindingsFilters {
  const f: FindingsFilters = {};
  for (const key of ['q', 'focus'] as const) {
    const v = sp.get(key);
    if (v) f[key] = v;
  }
  const rule = sp.get('rule');
  if (rule && isOneOf(RULE_IDS, rule)) f.rule = rule;
  return f;
}

/** The rules that have findings now, for the rule filter, with counts. */
export function ruleOptions(findings: FindingView[], rules: { id: string; description: string }[]): { value: string; label: string }[] {
  const count = new Map<string, number>();
  for (const f of findings) count.set(f.rule, (count.get(f.rule) ?? 0) + 1);
  return rules.map((r) => ({ value: r.id, label: `${r.id} (${count.get(r.id) ?? 0})` }));
}

export interface RuleGroup<F> {
  rule: RuleId;
  findings: F[];
}

/** Findings of one severity by rule, rules in their order (RULE_IDS), each rule's findings longest-standing first. */
export function groupByRule<F extends Pick<Finding, 'rule' | 'since' | 'severity' | 'id'>>(findings: F[]): RuleGroup<F>[] {
  const by = new Map<RuleId, F[]>();
  for (const f of mostSevere(findings)) {
    const list = by.get(f.rule);
    if (list) list.push(f);
    else by.set(f.rule, [f]);
  }
  // mostSevere already ordered them by severity and rule priority: the map keeps that order.
  return [...by.entries()].map(([rule, list]) => ({ rule, findings: list }));
}
