'use client';
// The journal as read: grouped lines, newest first, each opening onto its entries, every entry
// linking to its subject.
import { useState } from 'react';
import type { JournalGroup, JournalResponse } from '@/lib/api/schemas';
import { journalSubjectHref } from '@/lib/client/links';
import { Tag } from '../ui/badges';
import { Empty } from '../ui/card';
import { Link } from '../ui/link';
import { describeEntry, describeGroup, toneOf } from './journal-text';
import { moment, span } from './time';
import { StoreProblem } from './history-panel';

export function TimelineList({ data, empty = 'nothing changed in this range' }: { data: JournalResponse; empty?: string }) {
  if (data.store.state !== 'ok') return <div className="p-3"><StoreProblem store={data.store} /></div>;
  if (data.groups.length === 0) return <Empty>{empty}</Empty>;
  return (
    <div>
      {data.truncated && (
        <p className="border-b border-amber-200 bg-amber-50 px-3 py-1.5 text-xs text-amber-800">
          More changed in this range than one page reads ({data.total.toLocaleString('en-US')} shown): narrow the range or filter by host, binary or queue.
        </p>
      )}
      <ol className="divide-y divide-neutral-100" data-testid="timeline">
        {data.groups.map((g, i) => (
          <GroupRow key={`${g.kind}-${g.from}-${i}`} group={g} />
        ))}
      </ol>
    </div>
  );
}

function GroupRow({ group: g }: { group: JournalGroup }) {
  const [open, setOpen] = useState(false);
  const single = g.entries.length === 1 && g.more === 0 ? g.entries[0] : undefined;
  const href = single ? journalSubjectHref(single) : null;
  const text = describeGroup(g);
  return (
    <li className="px-3 py-1.5 text-[13px]" data-testid="timeline-group" data-kind={g.kind} data-count={g.count}>
      <div className="flex items-baseline gap-2">
        <span className="tabular w-40 shrink-0 text-xs text-neutral-500">{g.from === g.to ? moment(g.to) : `${moment(g.from)} – ${moment(g.to).slice(-8)}`}</span>
        <Tag tone={toneOf(g.kind)}>{g.kind}</Tag>
        <span className="name-wrap min-w-0 flex-1">
          {href ? (
            <Link className="text-accent-600 hover:underline" href={href}>
              {text}
            </Link>
          ) : (
            text
          )}
          {!single && <span className="text-neutral-500"> {span(g.from, g.to)}</span>}
        </span>
        {!single && (
          <button type="button" className="shrink-0 text-xs text-accent-600 hover:underline" aria-expanded={open} onClick={() => setOpen(!open)}>
            {open ? 'hide' : `show ${g.entries.length}${g.more ? ` of ${g.entries.length + g.more}` : ''}`}
          </button>
        )}
      </div>
      {open && !single && (
        <ul className="mt-1 ml-40 space-y-0.5 border-l border-neutral-200 pl-3 text-xs">
          {g.entries.map((e, i) => {
            const link = journalSubjectHref(e);
            return (
              <li key={`${e.at}-${i}`} data-testid="timeline-entry">
                <span className="tabular text-neutral-500">{moment(e.at)}</span>{' '}
                {link ? (
                  <Link className="text-accent-600 hover:underline" href={link}>
                    {describeEntry(e)}
                  </Link>
                ) : (
                  describeEntry(e)
                )}
              </li>
            );
          })}
          {g.more > 0 && <li className="text-neutral-500">… and {g.more.toLocaleString('en-US')} more: narrow the range or the filters to see them.</li>}
        </ul>
      )}
    </li>
  );
}
