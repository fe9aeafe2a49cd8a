import { describe, expect, it } from 'vitest';
import type { ComponentSummary } from '@/lib/api/schemas';
import { sortComponents } from './overview-shaping';

const makeComponent = (o: Partial<ComponentSummary> = {}): ComponentSummary => ({
  name: 'nova',
  vhosts: ['/'],
  topics: ['compute'],
  topicCount: 1,
  serverQueueCount: 1,
  fanoutQueueCount: 1,
  notificationQueueCount: 0,
  consumers: 3,
  backlog: { ready: 0, unacknowledged: 0 },
  rates: null,
  health: 'healthy',
  healthCounts: { unavailable: 0, stuck: 0, unconsumed: 0, 'no-consumer': 0, backlog: 0, unknown: 0, healthy: 3 },
  ...o,
});

describe('sortComponents', () => {
  it('puts the worst health first, then names', () => {
    const list = [
      makeComponent({ name: 'nova' }),
      makeComponent({ name: 'heat', health: 'backlog' }),
      makeComponent({ name: 'neutron', health: 'unconsumed' }),
      makeComponent({ name: 'cinder' }),
    ];
    expect(sortComponents(list).map((c) => c.name)).toEqual(['neutron', 'heat', 'cinder', 'nova']);
  });
});
