'use client';
// One check of the upgrade page: what it found, what to do, and the policies, services or
// processes concerned.
import type { ReactNode } from 'react';
import type { DeprecatedFeature, GlobalQosUser, LocatorPolicy, MirroringPolicy, ServiceQueues, UpgradeResponse } from '@/lib/api/schemas';
import { componentHref, processesHref, processHref, queueHref } from '@/lib/client/links';
import { refKey } from '@/lib/domain/keys';
import { DEPRECATION_PHASES, type DeprecationPhase, isOneOf, QUEUE_KINDS } from '@/lib/domain/vocabulary';
import { HostLink } from '../hosts/host-link';
import { KindBadge, Tag } from '../ui/badges';
import { Card, tableCls, td, tdNum, th, thNum, trCls } from '../ui/card';
import { Link } from '../ui/link';
import { CheckStatusBadge } from './upgrade-badges';
import { CHECK_TITLE, checkCountText, optionText, stopText } from './upgrade-shaping';

type Check =
  | UpgradeResponse['mirroring']
  | UpgradeResponse['transientQueues']
  | UpgradeResponse['deprecatedFeatures']
  | UpgradeResponse['globalQos']
  | UpgradeResponse['queueMasterLocator'];

export function CheckCard({ check, showVhost }: { check: Check; showVhost: boolean }) {
  return (
    <div id={`check-${check.id}`} className="scroll-mt-14" data-testid="upgrade-check" data-check={check.id} data-status={check.status}>
      <Card
        title={
          <span className="flex flex-wrap items-center gap-x-2 gap-y-1">
            <CheckStatusBadge status={check.status} />
            {CHECK_TITLE[check.id]}
            <span className="text-xs font-normal text-neutral-500">{stopText(check.id, check.stop)}</span>
          </span>
        }
        actions={check.status === 'to-change' ? <span className="whitespace-nowrap text-xs text-neutral-600">{checkCountText(check)}</span> : undefined}
        bodyClassName="space-y-2 p-3"
      >
        <p className="text-[13px] text-neutral-800" data-testid="check-summary">
          {check.summary}
        </p>
        {check.remedy && (
          <p className="rounded border border-accent-100 bg-accent-50/60 px-2.5 py-1.5 text-[13px] text-neutral-800" data-testid="check-remedy">
            <span className="font-semibold">What to do: </span>
            {check.remedy}
          </p>
        )}
        <CheckDetails check={check} showVhost={showVhost} />
      </Card>
    </div>
  );
}

function CheckDetails({ check, showVhost }: { check: Check; showVhost: boolean }) {
  switch (check.id) {
    case 'classic-mirroring':
      return (
        <>
          {check.policies && check.policies.length > 0 && <PolicyTable policies={check.policies} showVhost={showVhost} label="mirroring policies" kind="mirroring" heads={['remove', 'keeps']} change={mirroringChange} />}
          {check.haArgumentQueues.length > 0 && (
            <Section title="Queues declared with x-ha-policy (oslo: rabbit_ha_queues = true)">
              <ServiceQueuesTable groups={check.haArgumentQueues} showVhost={showVhost} label="queues declared with x-ha-policy" />
            </Section>
          )}
        </>
      );
    case 'transient-queues':
      return check.services.length > 0 ? <ServiceQueuesTable groups={check.services} showVhost={showVhost} label="transient non-exclusive queues per service" /> : null;
    case 'deprecated-features':
      return check.features && check.features.length > 0 ? <FeatureTable features={check.features} /> : null;
    case 'global-qos':
      return check.users && check.users.length > 0 ? <GlobalQosTable users={check.users} /> : null;
    case 'queue-master-locator':
      return (
        <>
          {check.policies && check.policies.length > 0 && <PolicyTable policies={check.policies} showVhost={showVhost} label="policies setting queue-master-locator" kind="locator" heads={['replace', 'with']} change={locatorChange} />}
          {check.queues.length > 0 && (
            <Section title="Queues declared with x-queue-master-locator">
              <ServiceQueuesTable groups={check.queues} showVhost={showVhost} label="queues declared with x-queue-master-locator" />
            </Section>
          )}
        </>
      );
  }
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="space-y-1">
      <h3 className="text-xs font-semibold text-neutral-700">{title}</h3>
      {children}
    </div>
  );
}

function Table({ label, children, testId }: { label: string; children: ReactNode; testId: string }) {
  return (
    <div className="overflow-x-auto rounded border border-neutral-100">
      <table className={tableCls} aria-label={label} data-testid={testId}>
        {children}
      </table>
    </div>
  );
}

function Code({ children }: { children: ReactNode }) {
  return <code className="whitespace-nowrap rounded bg-neutral-100 px-1 py-px font-mono text-[12px] text-neutral-800">{children}</code>;
}

function None() {
  return <span className="text-neutral-400">–</span>;
}

type PolicyRow = Pick<MirroringPolicy, 'vhost' | 'name' | 'pattern' | 'applyTo' | 'matchedQueues' | 'examples'>;

/** Policies to change: each with what to change in two columns (`heads`, `change`), and the classic queues it matches now. */
function PolicyTable<P extends PolicyRow>({
  policies,
  showVhost,
  label,
  kind,
  heads,
  change,
}: {
  policies: P[];
  showVhost: boolean;
  label: string;
  /** Names the test ids: `${kind}-policies`, `${kind}-policy`. */
  kind: 'mirroring' | 'locator';
  heads: [string, string];
  change: (p: P) => [ReactNode, ReactNode];
}) {
  return (
    <Table label={label} testId={`${kind}-policies`}>
      <thead>
        <tr>
          {showVhost && <th className={th}>vhost</th>}
          <th className={th}>policy</th>
          <th className={th}>pattern</th>
          <th className={th}>applies to</th>
          <th className={th}>{heads[0]}</th>
          <th className={th}>{heads[1]}</th>
          <th className={thNum}>classic queues matched</th>
          <th className={th}>e.g.</th>
        </tr>
      </thead>
      <tbody>
        {policies.map((p) => {
          const [first, second] = change(p);
          return (
            <tr key={refKey(p.vhost, p.name)} className={trCls} data-testid={`${kind}-policy`} data-policy={p.name}>
              {showVhost && <td className={`${td} name-wrap`}>{p.vhost}</td>}
              <td className={`${td} name-wrap font-medium`}>{p.name}</td>
              <td className={td}>
                <Code>{p.pattern}</Code>
              </td>
              <td className={td}>{p.applyTo}</td>
              <td className={td}>{first}</td>
              <td className={td}>{second}</td>
              <td className={tdNum} data-testid="policy-matched">
                {p.matchedQueues ?? <span title="a pattern JavaScript's regular expressions do not read: count it on the broker">not read</span>}
              </td>
              <td className={td}>
                <QueueExamples vhost={p.vhost} names={p.examples} count={p.matchedQueues ?? p.examples.length} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}

const mirroringChange = (p: MirroringPolicy): [ReactNode, ReactNode] => [
  <span key="remove" className="flex flex-wrap gap-1">
    {Object.entries(p.haKeys).map(([k, v]) => (
      <Code key={k}>
        {k}: {JSON.stringify(v)}
      </Code>
    ))}
  </span>,
  p.otherKeys.length > 0 ? <span key="keeps" className="font-mono text-[12px]">{p.otherKeys.join(', ')}</span> : <span key="keeps" className="text-neutral-500">nothing: delete it</span>,
];

const locatorChange = (p: LocatorPolicy): [ReactNode, ReactNode] => [
  <Code key="replace">queue-master-locator: {p.value}</Code>,
  p.leaderLocator ? <Code key="with">queue-leader-locator: {p.leaderLocator}</Code> : <None key="with" />,
];

/** The first queue as a link, and how many more there are (the others named on hover). */
function QueueExamples({ vhost, names, count }: { vhost: string; names: string[]; count: number }) {
  const [first, ...others] = names;
  if (first === undefined) return <None />;
  return (
    <span className="name-wrap">
      <Link href={queueHref(vhost, first)} className="text-accent-600 hover:underline">
        {first}
      </Link>
      {count > 1 && (
        <span className="text-xs text-neutral-500" title={others.length > 0 ? `also ${others.join(', ')}${count > names.length ? ', …' : ''}` : undefined}>
          {' '}
          and {count - 1} more
        </span>
      )}
    </span>
  );
}

/** Queues per service with the options that change them. */
function ServiceQueuesTable({ groups, showVhost, label }: { groups: ServiceQueues[]; showVhost: boolean; label: string }) {
  return (
    <Table label={label} testId="service-queues">
      <thead>
        <tr>
          <th className={th}>service</th>
          <th className={th}>component</th>
          {showVhost && <th className={th}>vhost</th>}
          <th className={thNum}>queues</th>
          <th className={th}>kinds</th>
          <th className={th}>set in [oslo_messaging_rabbit]</th>
          <th className={th}>e.g.</th>
        </tr>
      </thead>
      <tbody>
        {groups.map((g) => (
          <tr key={refKey(g.vhost, g.binary ?? '')} className={trCls} data-testid="service-queues-row" data-binary={g.binary ?? ''} data-vhost={g.vhost} data-count={g.count}>
            <td className={`${td} name-wrap font-medium`}>
              {g.binary ? (
                <Link href={processesHref({ q: g.binary, vhost: g.vhost })} className="text-neutral-900 hover:underline">
                  {g.binary}
                </Link>
              ) : (
                <span className="font-normal text-neutral-500" title="no process consumes them, and their names do not say whose they are">
                  no known service
                </span>
              )}
            </td>
            <td className={td}>
              {g.component ? (
                <Link href={componentHref(g.component)} className="hover:underline">
                  {g.component}
                </Link>
              ) : (
                <None />
              )}
            </td>
            {showVhost && <td className={`${td} name-wrap`}>{g.vhost}</td>}
            <td className={tdNum}>{g.count}</td>
            <td className={td}>
              <span className="flex flex-wrap gap-1">
                {QUEUE_KINDS.filter((k) => (g.byKind[k] ?? 0) > 0).map((k) => (
                  <span key={k} className="flex items-center gap-0.5 whitespace-nowrap">
                    <KindBadge kind={k} />
                    <span className="tabular text-xs text-neutral-600">{g.byKind[k]}</span>
                  </span>
                ))}
              </span>
            </td>
            <td className={td}>
              {g.options.length > 0 ? (
                <span className="flex flex-col items-start gap-0.5">
                  {g.options.map((o) => (
                    <Code key={o.name}>{optionText(o)}</Code>
                  ))}
                </span>
              ) : (
                <span className="text-neutral-500">not oslo.messaging&apos;s: its client declares them</span>
              )}
            </td>
            <td className={td}>
              <QueueExamples vhost={g.vhost} names={g.examples} count={g.count} />
            </td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

const PHASE_TONE: Record<DeprecationPhase, 'amber' | 'red'> = { permitted_by_default: 'amber', denied_by_default: 'red', disconnected: 'red', removed: 'red' };

function FeatureTable({ features }: { features: DeprecatedFeature[] }) {
  return (
    <Table label="deprecated features in use" testId="deprecated-features">
      <thead>
        <tr>
          <th className={th}>feature</th>
          <th className={th}>phase</th>
          <th className={th}>who uses it</th>
          <th className={th}>RabbitMQ&apos;s notes</th>
        </tr>
      </thead>
      <tbody>
        {features.map((f) => (
          <tr key={f.name} className={trCls} data-testid="deprecated-feature" data-feature={f.name}>
            <td className={td}>
              <Code>{f.name}</Code>
            </td>
            <td className={td}>{f.phase ? <Tag tone={isOneOf(DEPRECATION_PHASES, f.phase) ? PHASE_TONE[f.phase] : 'neutral'}>{f.phase.replaceAll('_', ' ')}</Tag> : <None />}</td>
            <td className={td}>
              {f.explainedBy ? (
                <a href={`#check-${f.explainedBy}`} className="text-accent-600 hover:underline">
                  {CHECK_TITLE[f.explainedBy]}
                </a>
              ) : (
                <span className="text-neutral-500">not told by the broker</span>
              )}
            </td>
            <td className={`${td} name-wrap`}>
              {f.docUrl ? (
                <a href={f.docUrl} target="_blank" rel="noreferrer noopener" className="text-accent-600 hover:underline">
                  {f.docUrl.replace(/^https?:\/\//, '')}
                </a>
              ) : (
                <None />
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

function GlobalQosTable({ users }: { users: GlobalQosUser[] }) {
  return (
    <Table label="processes using global QoS" testId="global-qos-users">
      <thead>
        <tr>
          <th className={th}>process</th>
          <th className={th}>host</th>
          <th className={thNum}>connections</th>
          <th className={thNum}>channels</th>
          <th className={thNum}>global prefetch</th>
        </tr>
      </thead>
      <tbody>
        {users.map((u) => (
          <tr key={u.processId ?? u.connections[0]} className={trCls} data-testid="global-qos-user" data-binary={u.binary ?? ''}>
            <td className={`${td} name-wrap font-medium`}>
              {u.processId ? (
                <Link href={processHref(u.processId)} className="text-neutral-900 hover:underline">
                  {u.binary ?? u.processId}
                </Link>
              ) : (
                <span>{u.connections[0]}</span>
              )}
            </td>
            <td className={td}>{u.host ? <HostLink host={u.host} /> : <None />}</td>
            <td className={tdNum}>{u.connections.length}</td>
            <td className={tdNum}>{u.channels}</td>
            <td className={tdNum}>{u.globalPrefetchCount}</td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
