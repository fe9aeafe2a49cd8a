// Pure shaping for the overview.
import type { ComponentSummary } from '@/lib/api/schemas';
import { compareHealth } from '@/lib/domain/health';

/** Components worth a look first: the worst health of their queues, then by name. */
export function sortComponents(list: readonly ComponentSummary[]): ComponentSummary[] {
  return [...list].sort((a, b) => compareHealth(a.health, b.health) || a.name.localeCompare(b.name));
}
