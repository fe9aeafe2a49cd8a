// Pure shaping for the overview.
import type { ComponentSummary } from '@/lib/domain/types';

/** Components worth a look first: red (backlog without consumers), then amber (backlog), then by name. */
export function componentTrouble(c: Pick<ComponentSummary, 'consumers' | 'backlog' | 'serverQueueCount' | 'topicCount'>): 'red' | 'amber' | null {
  if (c.backlog.ready > 0 && c.consumers === 0) return 'red';
  if (c.backlog.ready > 1000) return 'red';
  if (c.backlog.ready > 100) return 'amber';
  return null;
}

export function sortComponents(list: ComponentSummary[]): ComponentSummary[] {
  const rank = (c: ComponentSummary) => {
    const t = componentTrouble(c);
    return t === 'red' ? 0 : t === 'amber' ? 1 : 2;
  };
  return [...list].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}
