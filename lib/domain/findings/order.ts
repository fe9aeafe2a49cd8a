// How findings are ordered and counted, for the server and the pages alike: most severe
// first, then by the rules' order (lib/domain/vocabulary.ts), then the longest-standing.
import { RULE_IDS, rankIn, type RuleId, SEVERITIES, type Severity } from '../vocabulary';

type Ordered = { severity: Severity; rule: RuleId; since: number; id: string };

/** How many findings there are of each severity (all severities, zeros included). */
export function countBySeverity(findings: readonly Pick<Ordered, 'severity'>[]): Record<Severity, number> {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  for (const f of findings) counts[f.severity]++;
  return counts;
}

export interface RuleCount {
  rule: RuleId;
  count: number;
  /** The most severe of its findings. */
  severity: Severity;
}

/** How many findings each rule has, most severe rules first. */
export function countByRule(findings: readonly Pick<Ordered, 'rule' | 'severity'>[]): RuleCount[] {
  const by = new Map<RuleId, RuleCount>();
  for (const f of findings) {
    const c = by.get(f.rule);
    if (!c) by.set(f.rule, { rule: f.rule, count: 1, severity: f.severity });
    else {
      c.count++;
      if (rankIn(SEVERITIES, f.severity) < rankIn(SEVERITIES, c.severity)) c.severity = f.severity;
    }
  }
  return [...by.values()].sort((a, b) => rankIn(SEVERITIES, a.severity) - rankIn(SEVERITIES, b.severity) || rankIn(RULE_IDS, a.rule) - rankIn(RULE_IDS, b.rule));
}

/** The most severe first; within a severity by the rules' order, then the longest-standing first. */
export function sortFindings<T extends Ordered>(findings: readonly T[]): T[] {
  return [...findings].sort(
    (a, b) =>
      rankIn(SEVERITIES, a.severity) - rankIn(SEVERITIES, b.severity) ||
      rankIn(RULE_IDS, a.rule) - rankIn(RULE_IDS, b.rule) ||
      a.since - b.since ||
      a.id.localeCompare(b.id),
  );
}

