'use client';
import type { ReactNode } from 'react';
import { usePathname } from 'next/navigation';
import { attentionBadge } from '@/components/findings/findings-shaping';
import NextLink from 'next/link';
import { useCurrentCluster } from '@/lib/client/cluster';
import { useClusters, useFindings, useOverview, useSession, useSignOut } from '@/lib/client/hooks';
import { clusterOfPath, findingsHref, servicesHref, timelineHref, upgradeHref } from '@/lib/client/links';
import { nodeInTrouble } from '@/lib/domain/views';
import { Link } from '../ui/link';

const NAV = [
  { href: '/', label: 'Overview', match: (p: string) => p === '/' || p.startsWith('/components') },
  { href: findingsHref(), label: 'Findings', match: (p: string) => p.startsWith('/findings') },
  { href: servicesHref(), label: 'Services', match: (p: string) => p.startsWith('/services') },
  { href: '/exchanges', label: 'Exchanges', match: (p: string) => p.startsWith('/exchanges') },
  { href: '/queues', label: 'Queues', match: (p: string) => p.startsWith('/queues') },
  { href: '/processes', label: 'Processes', match: (p: string) => p.startsWith('/processes') || p.startsWith('/hosts') },
  { href: timelineHref(), label: 'Timeline', match: (p: string) => p.startsWith('/timeline') },
  { href: upgradeHref(), label: 'Upgrade', match: (p: string) => p.startsWith('/upgrade') },
];

function Brand() {
  return (
    <Link href="/" className="flex items-center gap-2 whitespace-nowrap font-semibold text-neutral-900">
      <span className="inline-block h-3 w-3 rounded-sm bg-accent-600" aria-hidden />
      Rabbit Lens
    </Link>
  );
}

function Bar({ children }: { children: ReactNode }) {
  return (
    <header className="sticky top-0 z-20 border-b border-neutral-200 bg-white/95 backdrop-blur">
      <div className="mx-auto flex h-11 max-w-[1600px] items-center gap-6 px-4">{children}</div>
    </header>
  );
}

/** The operator, when there is one, and signing out (AUTH_MODE=login). */
function Operator() {
  const { data } = useSession();
  const signOut = useSignOut();
  if (!data?.user) return null;
  return (
    <span className="flex items-center gap-1.5 border-l border-neutral-200 pl-2" data-testid="operator">
      <span className="max-w-[12rem] truncate font-medium text-neutral-800" title={data.tags.length ? `broker tags: ${data.tags.join(', ')}` : undefined}>
        {data.user}
      </span>
      {data.mode === 'login' && (
        <button
          type="button"
          onClick={() => signOut.mutate(undefined, { onSettled: () => window.location.assign('/login') })}
          disabled={signOut.isPending}
          className="rounded border border-neutral-300 bg-white px-2 py-0.5 font-medium text-neutral-700 hover:bg-neutral-100"
        >
          Sign out
        </button>
      )}
    </span>
  );
}

export function Header() {
  const pathname = usePathname() ?? '/';
  // Signing in, or the list of clusters: no one cluster to read.
  if (clusterOfPath(pathname) === null)
    return (
      <Bar>
        <Brand />
        {pathname !== '/login' && (
          <div className="ml-auto flex items-center text-xs text-neutral-600">
            <Operator />
          </div>
        )}
      </Bar>
    );
  return <NavigationHeader pathname={pathname} />;
}

/** Which cluster this is, and the way back to all of them, when there are several. */
function ClusterSwitch() {
  const current = useCurrentCluster();
  const { data } = useClusters();
  const clusters = data?.clusters ?? [];
  if (clusters.length < 2) return null;
  const name = clusters.find((c) => c.id === current)?.name ?? current;
  return (
    <span className="flex items-center gap-1 whitespace-nowrap text-xs" data-testid="cluster-switch">
      <NextLink href="/" className="text-accent-600 hover:underline">
        all clusters
      </NextLink>
      <span className="text-neutral-400">/</span>
      <span className="font-semibold text-neutral-800">{name}</span>
    </span>
  );
}

function NavigationHeader({ pathname }: { pathname: string }) {
  // The page's own path within its cluster (`/c/{cluster}` off).
  const local = pathname.replace(/^\/c\/[^/]+/, '') || '/';
  const { data, error } = useOverview();
  const findings = useFindings({ limit: 0 });
  const badge = attentionBadge(findings.data?.counts);
  const broker = data?.broker;
  const name = broker?.clusterName ?? data?.nodes[0]?.name ?? null;
  const alarm = data?.nodes.some(nodeInTrouble);
  return (
    <Bar>
      <Brand />
      <ClusterSwitch />
      <nav className="flex items-center gap-1" aria-label="main">
        {NAV.map((n) => {
          const active = n.match(local);
          return (
            <Link
              key={n.href}
              href={n.href}
              aria-current={active ? 'page' : undefined}
              className={`flex items-center gap-1.5 rounded px-2.5 py-1 text-[13px] font-medium ${active ? 'bg-accent-50 text-accent-700' : 'text-neutral-600 hover:bg-neutral-100 hover:text-neutral-900'}`}
            >
              {n.label}
              {n.label === 'Findings' && badge && (
                <span
                  className={`tabular min-w-[1.25rem] rounded-full px-1.5 text-center text-[11px] font-bold leading-4 ${badge.tone === 'red' ? 'bg-red-600 text-white' : 'bg-amber-400 text-amber-950'}`}
                  title={`${findings.data?.counts.critical ?? 0} critical, ${findings.data?.counts.warning ?? 0} warning`}
                  data-testid="findings-badge"
                >
                  {badge.count}
                </span>
              )}
            </Link>
          );
        })}
      </nav>
      <div className="ml-auto flex min-w-0 items-center gap-2 text-xs text-neutral-600">
        {alarm && <span className="rounded bg-red-600 px-1.5 py-px font-semibold text-white">ALARM</span>}
        {error && !data ? (
          <span className="text-red-700">broker unreachable</span>
        ) : (
          <span className="truncate" title={name ?? undefined}>
            <span className="font-medium text-neutral-800">{name ?? '…'}</span>
            {broker?.rabbitmqVersion && <span className="text-neutral-500"> · RabbitMQ {broker.rabbitmqVersion}</span>}
          </span>
        )}
        <Operator />
      </div>
    </Bar>
  );
}
