'use client';
import { useEffect } from 'react';
import { isOneOf, RULE_IDS, SEVERITIES } from '@/lib/domain/vocabulary';
import type { FindingsResponse } from '@/lib/api/schemas';
import { useFindings, useOverview } from '@/lib/client/hooks';
import { findingsHref, type FindingsFilters } from '@/lib/client/links';
import { useNow } from '@/lib/client/refresh';
import { useUrlFilters, useUrlText } from '@/lib/client/url-state';
import { Card, Empty } from '../ui/card';
import { formatDuration } from '../ui/format';
import { PageFrame } from '../ui/page-frame';
import { SearchInput, Select } from '../ui/search-input';
import { AllIsWell, FindingItem, SEVERITY_TITLE, SeverityBadge } from './finding-item';
import { filterFindings, groupByRule, groupBySeverity, parseFindingsFilters, ruleOptions } from './findings-shaping';

export function FindingsPage() {
  const [filters, setFilters] = useUrlFilters(parseFindingsFilters, findingsHref);

  const [text, setText] = useUrlText(filters.q, (q) => setFilters({ q }));

  const query = useFindings();
  const subtitle = query.data
    ? `What the dashboard diagnoses by itself from the broker's state; trends judged over ${formatDuration(query.data.windowMs)}.`
    : undefined;
  return (
    <PageFrame title="Findings" subtitle={subtitle} query={query} documentTitle="Findings">
      {(data) => <FindingsBody data={data} filters={filters} text={text} setText={setText} setFilters={setFilters} />}
    </PageFrame>
  );
}

function FindingsBody({
  data,
  filters,
  text,
  setText,
  setFilters,
}: {
  data: FindingsResponse;
  filters: FindingsFilters;
  text: string;
  setText: (t: string) => void;
  setFilters: (p: Partial<FindingsFilters>) => void;
}) {
  const now = useNow(5000);
  const overview = useOverview();
  const shown = filterFindings(data.findings, filters);
  const resolved = filterFindings(data.resolved, filters);
  const groups = groupBySeverity(shown);
  const any = Boolean(filters.rule || filters.q);
  const descriptions = new Map(data.rules.map((r) => [r.id, r.description]));

  // A deep link to one finding: bring it into view once it is on the page.
  const focusPresent = filters.focus ? data.findings.some((f) => f.id === filters.focus) : false;
  useEffect(() => {
    if (!filters.focus || !focusPresent) return;
    document.getElementById(`finding-${filters.focus}`)?.scrollIntoView({ block: 'center' });
  }, [filters.focus, focusPresent]);

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2 rounded-md border border-neutral-200 bg-white px-3 py-2">
        <div className="flex items-center gap-3 text-[13px]" data-testid="finding-counts">
          {SEVERITIES.map((s) => (
            <span key={s} className="flex items-center gap-1.5">
              <SeverityBadge severity={s} />
              <span className="tabular font-semibold">{data.counts[s] ?? 0}</span>
            </span>
          ))}
        </div>
        <SearchInput label="filter findings by text" placeholder="title, host, queue, component…" value={text} onChange={setText} />
        <Select label="rule" value={filters.rule ?? ''} onChange={(v) => setFilters({ rule: isOneOf(RULE_IDS, v) ? v : undefined })} options={ruleOptions(data.findings, data.rules)} />
        {any && (
          <button
            type="button"
            className="text-xs text-accent-600 hover:underline"
            onClick={() => {
              setText('');
              setFilters({ rule: undefined, q: undefined });
            }}
          >
            clear filters
          </button>
        )}
        {any && (
          <span className="text-xs text-neutral-500">
            {shown.length} of {data.findings.length} shown
          </span>
        )}
      </div>

      {data.findings.length === 0 ? (
        <AllIsWell queues={overview.data?.totals.queues ?? null} processes={overview.data?.totals.processes ?? null} />
      ) : shown.length === 0 ? (
        <Card>
          <Empty>no finding matches these filters</Empty>
        </Card>
      ) : (
        groups
          .filter((g) => g.findings.length > 0)
          .map((g) => (
            <section key={g.severity} aria-label={`${g.severity} findings`} data-testid={`findings-${g.severity}`} className="space-y-1.5">
              <h2 className="flex items-center gap-2 text-[13px] font-semibold text-neutral-800">
                {SEVERITY_TITLE[g.severity]} <span className="tabular text-neutral-500">({g.findings.length})</span>
              </h2>
              {groupByRule(g.findings).map((rg) => (
                <div key={rg.rule} className="space-y-1.5" data-testid={`findings-rule-${rg.rule}`}>
                  <h3 className="flex flex-wrap items-baseline gap-x-2 pt-1 text-xs text-neutral-600">
                    <span className="font-mono font-medium text-neutral-800">{rg.rule}</span>
                    <span className="tabular">× {rg.findings.length}</span>
                    <span className="text-neutral-500">{descriptions.get(rg.rule)}</span>
                  </h3>
                  <div className="grid gap-1.5 xl:grid-cols-2">
                    {rg.findings.map((f) => (
                      <FindingItem key={f.id} finding={f} now={now} isNew={f.isNew} highlight={f.id === filters.focus} />
                    ))}
                  </div>
                </div>
              ))}
            </section>
          ))
      )}

      <Card title={`Resolved recently (${resolved.length})`} bodyClassName={resolved.length === 0 ? 'p-0' : 'space-y-1.5 p-2'}>
        {resolved.length === 0 ? (
          <Empty>nothing went away recently</Empty>
        ) : (
          resolved.map((f) => <FindingItem key={`${f.id}\u0000${f.resolvedAt}`} finding={f} now={now} resolvedAt={f.resolvedAt} />)
        )}
      </Card>

      <details className="rounded-md border border-neutral-200 bg-white px-3 py-2 text-[13px]">
        <summary className="cursor-pointer font-medium text-neutral-700">What the rules look for ({data.rules.length})</summary>
        <dl className="mt-2 grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1">
          {data.rules.map((r) => (
            <div key={r.id} className="contents">
              <dt className="font-mono text-[12px] text-neutral-600">{r.id}</dt>
              <dd className="text-neutral-800">{r.description}</dd>
            </div>
          ))}
        </dl>
      </details>
    </div>
  );
}
