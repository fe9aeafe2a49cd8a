export function SkeletonBlock({ className = 'h-4 w-full' }: { className?: string }) {
  return <div className={`animate-pulse rounded bg-neutral-200/70 ${className}`} />;
}

export function PageSkeleton({ rows = 8 }: { rows?: number }) {
  return (
    <div className="space-y-3" aria-busy="true" aria-label="loading">
      <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
        {Array.from({ length: 4 }, (_, i) => (
          <div key={i} className="rounded-md border border-neutral-200 bg-white p-3">
            <SkeletonBlock className="mb-2 h-3 w-1/2" />
            <SkeletonBlock className="h-6 w-2/3" />
          </div>
        ))}
      </div>
      <div className="rounded-md border border-neutral-200 bg-white p-3 space-y-2">
        {Array.from({ length: rows }, (_, i) => (
          <SkeletonBlock key={i} className="h-4 w-full" />
        ))}
      </div>
    </div>
  );
}
