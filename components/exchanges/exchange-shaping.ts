// Pure shaping for the exchange list: the groups as columns.
import type { Exchange } from '@/lib/api/schemas';
import { exchangeMatches } from '@/lib/domain/exchanges';
import { EXCHANGE_GROUPS, type ExchangeGroup } from '@/lib/domain/vocabulary';

export const GROUP_TITLES: Record<ExchangeGroup, string> = {
  component: 'Component (control exchanges)',
  reply: 'Reply (legacy reply_…)',
  fanout: 'Fanout (<topic>_fanout)',
  builtin: 'Built-in (amq.*, default)',
  other: 'Other',
};

/**
 * Exchanges split by group, in the server's order. `q` narrows what is loaded at once, by the
 * server's own rule, while the server's answer for the settled text is on its way.
 */
export function groupExchanges(items: readonly Exchange[], q = ''): Record<ExchangeGroup, Exchange[]> {
  const out = Object.fromEntries(EXCHANGE_GROUPS.map((g) => [g, [] as Exchange[]])) as Record<ExchangeGroup, Exchange[]>;
  for (const e of items) if (exchangeMatches(e, q)) out[e.group].push(e);
  return out;
}
