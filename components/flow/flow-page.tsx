'use client';
// The picture of one topic: from who publishes to the hosts that consume, live.
import { useCallback } from 'react';
import { useFlow } from '@/lib/client/hooks';
import { componentHref, flowHref, type FlowFilters, parseFlowFilters } from '@/lib/client/links';
import { useUrlFilters } from '@/lib/client/url-state';
import { Link } from '../ui/link';
import { PageFrame } from '../ui/page-frame';
import { Select } from '../ui/search-input';
import { FlowDiagram, FlowLegend } from './flow-diagram';
import { refKey, splitRefKey } from '@/lib/domain/keys';

export function FlowPage({ component }: { component: string }) {
  const toHref = useCallback((f: FlowFilters) => flowHref(component, f), [component]);
  const [filters, setFilters] = useUrlFilters(parseFlowFilters, toHref);
  const query = useFlow(component, filters);
  const toggle = (group: string) => {
    const open = new Set(filters.expand ?? []);
    if (open.has(group)) open.delete(group);
    else open.add(group);
    setFilters({ expand: [...open] });
  };
  if (!filters.topic)
    return (
      <p className="text-[13px] text-neutral-600">
        Choose a topic on the <Link href={componentHref(component)} className="text-accent-600 hover:underline">page of {component}</Link>.
      </p>
    );
  return (
    <PageFrame
      kicker={
        <>
          <Link href={componentHref(component)} className="hover:underline">
            {component}
          </Link>{' '}
          · message flow
        </>
      }
      title={`${component} / ${filters.topic}`}
      query={query}
      documentTitle={`Flow ${component}/${filters.topic}`}
    >
      {(data) => (
        <div className="space-y-2">
          <div className="flex flex-wrap items-center gap-3">
            <Select
              label="topic"
              value={refKey(data.vhost, data.topic)}
              onChange={(v) => {
                const { vhost, name: topic } = splitRefKey(v);
                setFilters({ topic, vhost, expand: [] });
              }}
              options={data.topics.map((t) => ({ value: refKey(t.vhost, t.name), label: data.topics.some((o) => o.name === t.name && o.vhost !== t.vhost) ? `${t.name} (${t.vhost})` : t.name }))}
              allLabel="choose"
            />
            {data.groups
              .filter((g) => g.size > 1)
              .map((g) => (
                <button
                  key={g.id}
                  type="button"
                  onClick={() => toggle(g.id)}
                  aria-pressed={g.expanded}
                  className={`rounded border px-2 py-0.5 text-xs ${g.expanded ? 'border-accent-500 bg-accent-50 text-accent-700' : 'border-neutral-300 bg-white text-neutral-700 hover:bg-neutral-100'}`}
                >
                  {g.expanded ? 'group' : 'show'} {g.label} ({g.size})
                </button>
              ))}
          </div>
          <FlowLegend />
          <FlowDiagram layout={data.layout} onToggleGroup={toggle} />
        </div>
      )}
    </PageFrame>
  );
}
