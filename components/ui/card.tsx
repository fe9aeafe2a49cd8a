import type { ReactNode } from 'react';

export function Card({ title, actions, children, className = '', bodyClassName = 'p-3' }: { title?: ReactNode; actions?: ReactNode; children: ReactNode; className?: string; bodyClassName?: string }) {
  return (
    <section className={`rounded-md border border-neutral-200 bg-white shadow-xs ${className}`}>
      {title !== undefined && (
        <header className="flex items-center justify-between gap-2 border-b border-neutral-100 px-3 py-2">
          <h2 className="text-[13px] font-semibold text-neutral-800">{title}</h2>
          {actions}
        </header>
      )}
      <div className={bodyClassName}>{children}</div>
    </section>
  );
}

/** A small figure with its label, for cards that hold many (a component, a cluster). */
export function Mini({ label, value }: { label: string; value: ReactNode }) {
  return (
    <div className="min-w-0">
      <div className="text-[10px] uppercase tracking-wide text-neutral-500">{label}</div>
      <div className="tabular font-medium text-neutral-800">{value}</div>
    </div>
  );
}

export function Stat({ label, value, hint, tone = 'neutral' }: { label: string; value: ReactNode; hint?: ReactNode; tone?: 'neutral' | 'red' | 'amber' }) {
  const toneCls = tone === 'red' ? 'text-red-700' : tone === 'amber' ? 'text-amber-700' : 'text-neutral-900';
  return (
    <div className="min-w-0">
      <div className="text-[11px] font-medium uppercase tracking-wide text-neutral-500">{label}</div>
      <div className={`tabular text-lg font-semibold ${toneCls}`}>{value}</div>
      {hint !== undefined && <div className="text-xs text-neutral-500">{hint}</div>}
    </div>
  );
}

export function KeyValues({ items }: { items: [ReactNode, ReactNode][] }) {
  return (
    <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-[13px]">
      {items.map(([k, v], i) => (
        <div key={i} className="contents">
          <dt className="text-neutral-500">{k}</dt>
          <dd className="name-wrap min-w-0">{v}</dd>
        </div>
      ))}
    </dl>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="px-3 py-4 text-center text-[13px] text-neutral-500">{children}</div>;
}

/** Table cell/header classes shared by the plain (non-virtual) tables. */
export const th = 'px-2 py-1.5 text-left text-[11px] font-semibold uppercase tracking-wide text-neutral-500 whitespace-nowrap';
export const thNum = 'px-2 py-1.5 text-right text-[11px] font-semibold uppercase tracking-wide text-neutral-500 whitespace-nowrap';
export const td = 'px-2 py-1 align-top';
export const tdNum = 'px-2 py-1 text-right align-top tabular whitespace-nowrap';
export const tableCls = 'w-full border-collapse text-[13px]';
export const trCls = 'border-t border-neutral-100 hover:bg-neutral-50';
