import { describe, expect, it } from 'vitest';
import type { FindingView } from '@/lib/api/schemas';
import { attentionBadge, countByRule, groupByRule, evidenceChips, filterFindings, formatSince, groupBySeverity, mostSevere, parseFindingsFilters, subjectLabel } from './findings-shaping';

const makeFinding = (o: Partial<FindingView> = {}): FindingView => ({
  id: 'rpc-server-unconsumed|queue|/|compute.node-1',
  rule: 'rpc-server-unconsumed',
  severity: 'critical',
  subject: { type: 'queue', vhost: '/', name: 'compute.node-1' },
  title: 'compute on node-1 is up but does nothing',
  explanation: 'nova-compute is still connected but does not consume compute.node-1',
  evidence: { waiting: 3, consumers: 0, server: 'node-1', flag: true, missing: null },
  component: 'nova',
  host: 'node-1',
  since: 1_000,
  isNew: false,
  ...o,
});

describe('groupBySeverity / mostSevere', () => {
  const a = makeFinding({ id: 'a', severity: 'info', since: 1 });
  const b = makeFinding({ id: 'b', severity: 'critical', since: 5 });
  const c = makeFinding({ id: 'c', severity: 'warning', since: 2 });
  const d = makeFinding({ id: 'd', severity: 'critical', since: 3 });
  it('groups critical, warning, info in that order, empty groups kept', () => {
    const g = groupBySeverity([a, b, c, d]);
    expect(g.map((x) => [x.severity, x.findings.map((f) => f.id)])).toEqual([
      ['critical', ['b', 'd']],
      ['warning', ['c']],
      ['info', ['a']],
    ]);
    expect(groupBySeverity([]).every((x) => x.findings.length === 0)).toBe(true);
  });
  it('takes the most severe first, the longest-standing first within a severity and rule', () => {
    expect(mostSevere([a, b, c, d], 3).map((f) => f.id)).toEqual(['d', 'b', 'c']);
  });
  it('within a severity, a host that takes no request before a shared topic queue', () => {
    const topic = makeFinding({ id: 't', rule: 'rpc-topic-unconsumed', since: 0 });
    const server = makeFinding({ id: 's', rule: 'rpc-server-unconsumed', since: 9 });
    expect(mostSevere([topic, server]).map((f) => f.id)).toEqual(['s', 't']);
  });
  it('groups by rule in priority order', () => {
    const topic = makeFinding({ id: 't', rule: 'rpc-topic-unconsumed', since: 0 });
    const s1 = makeFinding({ id: 's1', since: 9 });
    const s2 = makeFinding({ id: 's2', since: 3 });
    expect(groupByRule([topic, s1, s2]).map((g) => [g.rule, g.findings.map((f) => f.id)])).toEqual([
      ['rpc-server-unconsumed', ['s2', 's1']],
      ['rpc-topic-unconsumed', ['t']],
    ]);
  });
  it('counts by rule, most severe first', () => {
    const x = makeFinding({ rule: 'backlog-growing', severity: 'warning' });
    const y = makeFinding({ rule: 'orphaned-reply-queue', severity: 'info' });
    expect(countByRule([y, x, b, d, x])).toEqual([
      { rule: 'rpc-server-unconsumed', count: 2, severity: 'critical' },
      { rule: 'backlog-growing', count: 2, severity: 'warning' },
      { rule: 'orphaned-reply-queue', count: 1, severity: 'info' },
    ]);
  });
});

describe('filterFindings', () => {
  const q = makeFinding({ id: 'q' });
  const p = makeFinding({ id: 'p', rule: 'consumer-stuck', subject: { type: 'process', id: 'nova-compute:12@10.0.0.2' }, host: 'compute02', title: 'stuck', explanation: 'takes but never acks' });
  it('by rule and by text over title, explanation, host, subject', () => {
    expect(filterFindings([q, p], { rule: 'consumer-stuck' }).map((f) => f.id)).toEqual(['p']);
    expect(filterFindings([q, p], { q: 'COMPUTE02' }).map((f) => f.id)).toEqual(['p']);
    expect(filterFindings([q, p], { q: 'compute.node-1' }).map((f) => f.id)).toEqual(['q']);
    expect(filterFindings([q, p], { q: 'never acks', rule: 'rpc-server-unconsumed' })).toEqual([]);
    expect(filterFindings([q, p], {})).toHaveLength(2);
  });
});

describe('subjects', () => {
  const conn = makeFinding({ id: 'c', subject: { type: 'connection', name: '127.0.0.1:5555 -> 127.0.0.1:5672', processId: 'X' } });
  const orphanConn = makeFinding({ id: 'n', subject: { type: 'connection', name: 'z', processId: null } });
  it('labels subjects', () => {
    expect(subjectLabel(conn.subject)).toBe('X');
    expect(subjectLabel(orphanConn.subject)).toBe('z');
    expect(subjectLabel({ type: 'node', name: 'rabbit@a' })).toBe('rabbit@a');
  });
});

describe('words and chips', () => {
  it('since as "for N"', () => {
    expect(formatSince(0, 180_000)).toBe('for 3 min');
    expect(formatSince(10_000, 15_000)).toBe('for 5 s');
    const at = new Date(2026, 10, 28, 2, 13).getTime();
    expect(formatSince(at, at + 27 * 3_600_000)).toBe('since 02:13, for 1.1 d');
    expect(formatSince(at, at + 60_000, 3)).toBe('for 1 min · raised 3 times in 24 h');
    expect(formatSince(at, at + 60_000, 1)).toBe('for 1 min');
  });
  it('evidence as text chips in order', () => {
    expect(evidenceChips(makeFinding().evidence)).toEqual([
      ['waiting', '3'],
      ['consumers', '0'],
      ['server', 'node-1'],
      ['flag', 'yes'],
      ['missing', '–'],
    ]);
  });
  it('header badge: critical + warning, red when any critical', () => {
    expect(attentionBadge({ critical: 1, warning: 2, info: 5 })).toEqual({ count: 3, tone: 'red' });
    expect(attentionBadge({ critical: 0, warning: 2, info: 5 })).toEqual({ count: 2, tone: 'amber' });
    expect(attentionBadge({ critical: 0, warning: 0, info: 5 })).toBeNull();
    expect(attentionBadge(undefined)).toBeNull();
  });
  it('filters from the URL', () => {
    expect(parseFindingsFilters(new URLSearchParams('rule=consumer-stuck&q=a%20b&focus=x%7Cy&junk=1'))).toEqual({ rule: 'consumer-stuck', q: 'a b', focus: 'x|y' });
    expect(parseFindingsFilters(new URLSearchParams('rule=no-such-rule'))).toEqual({});
  });
});
