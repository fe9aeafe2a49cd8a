// Pure shaping for the exchange list.
import type { Exchange, ExchangeGroup } from '@/lib/domain/types';
import { exchangeLabel } from '@/lib/client/links';

export const EXCHANGE_GROUPS: ExchangeGroup[] = ['component', 'reply', 'fanout', 'builtin', 'other'];

export const GROUP_TITLES: Record<ExchangeGroup, string> = {
  component: 'Component (control exchanges)',
  reply: 'Reply (legacy reply_…)',
  fanout: 'Fanout (<topic>_fanout)',
  builtin: 'Built-in (amq.*, default)',
  other: 'Other',
};

export function exchangeMatches(e: Exchange, q: string): boolean {
  const needle = q.trim().toLowerCase();
  if (!needle) return true;
  return [exchangeLabel(e.name), e.type, e.vhost, e.component ?? ''].some((f) => f.toLowerCase().includes(needle));
}

/** Exchanges matching the text, split by group, each group sorted by name (natural order). */
export function groupExchanges(items: Exchange[], q = ''): Record<ExchangeGroup, Exchange[]> {
  const out: Record<ExchangeGroup, Exchange[]> = { component: [], reply: [], fanout: [], builtin: [], other: [] };
  for (const e of items) {
    if (!exchangeMatches(e, q)) continue;
    (out[e.group] ?? out.other).push(e);
  }
  const collator = new Intl.Collator('en', { numeric: true });
  for (const g of EXCHANGE_GROUPS) out[g].sort((a, b) => collator.compare(a.name, b.name) || collator.compare(a.vhost, b.vhost));
  return out;
}
