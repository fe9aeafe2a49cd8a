import type { ReactNode } from 'react';
import { HISTORY_RANGE_NAMES, type HistoryRange } from '@/lib/domain/vocabulary';

/** 15m … 14d as pressed buttons; none pressed while a window of its own is shown (`value` undefined). */
export function RangePicker({ value, onChange, label, compact = false, children }: { value: HistoryRange | undefined; onChange: (r: HistoryRange) => void; label: string; compact?: boolean; children?: ReactNode }) {
  const size = compact ? 'px-1.5 py-0.5 text-[11px]' : 'px-2 py-1 text-xs';
  const idle = compact ? 'text-neutral-600 hover:bg-neutral-100' : 'bg-white text-neutral-600 ring-1 ring-neutral-200 hover:bg-neutral-50';
  return (
    <div className="flex items-center gap-1" role="group" aria-label={label}>
      {HISTORY_RANGE_NAMES.map((r) => (
        <button key={r} type="button" aria-pressed={r === value} onClick={() => onChange(r)} className={`rounded font-medium ${size} ${r === value ? 'bg-accent-600 text-white' : idle}`}>
          {r}
        </button>
      ))}
      {children}
    </div>
  );
}
