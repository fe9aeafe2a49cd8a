import { describe, expect, it } from 'vitest';
import type { Exchange } from '@/lib/api/schemas';
import { groupExchanges } from './exchange-shaping';

const makeExchange = (o: Partial<Exchange> = {}): Exchange => ({
  vhost: '/',
  name: 'nova',
  type: 'topic',
  durable: false,
  autoDelete: false,
  internal: false,
  arguments: {},
  group: 'component',
  component: 'nova',
  bindingCount: 3,
  ...o,
});

describe('groupExchanges', () => {
  const items = [
    makeExchange({ name: 'nova' }),
    makeExchange({ name: 'compute_fanout', type: 'fanout', group: 'fanout' }),
    makeExchange({ name: '', type: 'direct', group: 'builtin', component: null }),
    makeExchange({ name: 'amq.topic', group: 'builtin', component: null }),
    makeExchange({ name: 'heat' }),
  ];
  it('splits by group, in the order the server sent them', () => {
    const g = groupExchanges(items);
    expect(g.component.map((e) => e.name)).toEqual(['nova', 'heat']);
    expect(g.builtin.map((e) => e.name)).toEqual(['', 'amq.topic']);
    expect(g.fanout).toHaveLength(1);
    expect(g.reply).toEqual([]);
  });
  it('filters by text, the default exchange by its label', () => {
    expect(groupExchanges(items, 'FANOUT').fanout).toHaveLength(1);
    expect(groupExchanges(items, 'fanout').component).toHaveLength(0);
    expect(groupExchanges(items, 'default').builtin.map((e) => e.name)).toEqual(['']);
  });
});
