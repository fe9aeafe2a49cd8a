'use client';
// The RPC ping of one server: a button, a spinner, then the answer inline.
import type { ActionStatus, ProbeRequest } from '@/lib/api/schemas';
import { useProbe } from '@/lib/client/hooks';
import { probeText } from './services-shaping';

const TONE = { green: 'text-emerald-700', red: 'text-red-700', amber: 'text-amber-800' } as const;

export function Spinner({ label }: { label: string }) {
  return (
    <span role="status" aria-label={label} className="inline-block h-3 w-3 animate-spin rounded-full border-2 border-neutral-300 border-t-accent-600" />
  );
}

export function PingButton({ request, probe }: { request: ProbeRequest; probe: ActionStatus | null }) {
  const m = useProbe(request);
  const enabled = probe?.enabled === true;
  const disabledReason = probe === null ? 'checking whether the ping is enabled…' : probe.enabled ? undefined : (probe.reason ?? 'the ping is not enabled');
  const result = m.data ? probeText(m.data) : null;
  return (
    <span className="inline-flex items-center gap-2" data-testid="ping">
      <button
        type="button"
        disabled={!enabled || m.isPending}
        onClick={m.ping}
        title={disabledReason ?? `send a harmless RPC call to ${request.topic}.${request.server} and wait for the answer`}
        className="rounded border border-neutral-300 bg-white px-2 py-0.5 text-xs font-medium text-neutral-700 hover:bg-neutral-100 disabled:cursor-not-allowed disabled:opacity-50"
      >
        Ping
      </button>
      {m.isPending && <Spinner label="pinging" />}
      {!m.isPending && result && (
        <span className={`name-wrap text-xs font-medium ${TONE[result.tone]}`} data-testid="ping-result" data-status={m.data?.status} title={m.data?.detail}>
          {result.text}
        </span>
      )}
      {!m.isPending && m.error && (
        <span className="name-wrap text-xs font-medium text-red-700" data-testid="ping-result" data-status="error">
          {m.error.message}
        </span>
      )}
    </span>
  );
}
