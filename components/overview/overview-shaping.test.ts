import { describe, expect, it } from 'vitest';
import type { ComponentSummary } from '@/lib/domain/types';
import { componentTrouble, sortComponents } from './overview-shaping';

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
  ...o,
});

describe('componentTrouble / sortComponents', () => {
  it('flags backlogs', () => {
    expect(componentTrouble(makeComponent())).toBeNull();
    expect(componentTrouble(makeComponent({ consumers: 0, backlog: { ready: 1, unacknowledged: 0 } }))).toBe('red');
    expect(componentTrouble(makeComponent({ backlog: { ready: 500, unacknowledged: 0 } }))).toBe('amber');
  });
  it('puts trouble first, then names', () => {
    const list = [makeComponent({ name: 'nova' }), makeComponent({ name: 'heat', backlog: { ready: 5000, unacknowledged: 0 } }), makeComponent({ name: 'cinder' })];
    expect(sortComponents(list).map((c) => c.name)).toEqual(['heat', 'cinder', 'nova']);
  });
});
