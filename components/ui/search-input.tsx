'use client';

export function SearchInput({ value, onChange, placeholder, label, className = 'w-72' }: { value: string; onChange: (v: string) => void; placeholder?: string; label: string; className?: string }) {
  return (
    <input
      type="search"
      aria-label={label}
      placeholder={placeholder}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      className={`rounded border border-neutral-300 bg-white px-2 py-1 text-[13px] outline-none focus:border-accent-500 focus:ring-2 focus:ring-accent-100 ${className}`}
    />
  );
}

export function Select({ value, onChange, label, options, allLabel = 'all' }: { value: string; onChange: (v: string) => void; label: string; options: { value: string; label: string }[]; allLabel?: string }) {
  return (
    <label className="flex items-center gap-1 text-xs text-neutral-600">
      <span>{label}</span>
      <select
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-label={label}
        className="max-w-[14rem] rounded border border-neutral-300 bg-white px-1.5 py-1 text-[13px] text-neutral-900 outline-none focus:border-accent-500"
      >
        <option value="">{allLabel}</option>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}
