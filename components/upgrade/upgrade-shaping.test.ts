import { describe, expect, it } from 'vitest';
import type { UpgradeResponse } from '@/lib/api/schemas';
import type { UpgradeCheckStatus } from '@/lib/domain/vocabulary';
import { checkCountText, optionText, stopText, verdict } from './upgrade-shaping';

type VerdictInput = Parameters<typeof verdict>[0];

const check = (status: UpgradeCheckStatus, changes = 0) => ({ status, changes });

function answer(o: Partial<Pick<UpgradeResponse, 'rabbitmqVersion' | 'nextStop' | 'changes'>> & { statuses?: Partial<Record<'mirroring' | 'transientQueues' | 'deprecatedFeatures' | 'globalQos' | 'queueMasterLocator', UpgradeCheckStatus>> }): VerdictInput {
  const s = o.statuses ?? {};
  return {
    rabbitmqVersion: o.rabbitmqVersion === undefined ? '3.10.8' : o.rabbitmqVersion,
    nextStop: o.nextStop === undefined ? '4.0' : o.nextStop,
    changes: o.changes ?? { before: [], now: 0, later: 0 },
    mirroring: { id: 'classic-mirroring', ...check(s.mirroring ?? 'clear') },
    transientQueues: { id: 'transient-queues', ...check(s.transientQueues ?? 'clear') },
    deprecatedFeatures: { id: 'deprecated-features', ...check(s.deprecatedFeatures ?? 'clear') },
    globalQos: { id: 'global-qos', ...check(s.globalQos ?? 'clear') },
    queueMasterLocator: { id: 'queue-master-locator', ...check(s.queueMasterLocator ?? 'clear') },
  } as VerdictInput;
}

describe('verdict', () => {
  it('says what to change before the next version, then after it, and what the broker cannot tell', () => {
    const v = verdict(
      answer({
        changes: { before: [{ stop: '4.0', count: 2 }, { stop: '4.3', count: 5 }], now: 0, later: 1 },
        statuses: { mirroring: 'to-change', transientQueues: 'to-change', deprecatedFeatures: 'not-known' },
      }),
    );
    expect(v).toEqual({
      headline: 'RabbitMQ 3.10.8: before upgrading to 4.0, 2 things to change',
      details: ['then 5 more before 4.3', '1 more worth changing, which no version named here refuses', 'not known from this broker: Deprecated features in use'],
      tone: 'amber',
    });
  });

  it('one thing, and nothing', () => {
    expect(verdict(answer({ changes: { before: [{ stop: '4.0', count: 1 }], now: 0, later: 0 } })).headline).toBe('RabbitMQ 3.10.8: before upgrading to 4.0, 1 thing to change');
    const clear = verdict(answer({ rabbitmqVersion: '4.0.5', nextStop: '4.3', changes: { before: [{ stop: '4.3', count: 0 }], now: 0, later: 0 } }));
    expect(clear).toEqual({ headline: 'RabbitMQ 4.0.5: before upgrading to 4.3, nothing to change', details: [], tone: 'green' });
  });

  it('what this version already refuses comes first in colour', () => {
    const v = verdict(answer({ rabbitmqVersion: '4.3.0', nextStop: null, changes: { before: [], now: 3, later: 0 } }));
    expect(v.headline).toBe('RabbitMQ 4.3.0: no removal known ahead of this version');
    expect(v.details).toEqual(['3 things this version already refuses or ignores: change them now']);
    expect(v.tone).toBe('red');
  });

  it('a version not known: every stop ahead, each with its count', () => {
    const v = verdict(answer({ rabbitmqVersion: null, nextStop: null, changes: { before: [{ stop: '4.0', count: 0 }, { stop: '4.3', count: 2 }], now: 0, later: 0 } }));
    expect(v).toEqual({ headline: 'RabbitMQ version not known', details: ['nothing to change before 4.0', '2 things to change before 4.3'], tone: 'amber' });
  });

  it('nothing to change but checks not known is not all clear', () => {
    expect(verdict(answer({ nextStop: '4.0', changes: { before: [{ stop: '4.0', count: 0 }], now: 0, later: 0 }, statuses: { globalQos: 'not-known' } })).tone).toBe('neutral');
  });
});

describe('words', () => {
  it('an option as it is written in the configuration file', () => {
    expect(optionText({ name: 'rabbit_ha_queues', value: false })).toBe('rabbit_ha_queues = false');
  });

  it('what a version does to what a check looks for', () => {
    expect(stopText('classic-mirroring', '4.0')).toBe('removed in RabbitMQ 4.0');
    expect(stopText('global-qos', '4.3')).toBe('denied by default in RabbitMQ 4.3');
    expect(stopText('deprecated-features', null)).toBe('removed in a coming version');
  });

  it('a check found in use but counted elsewhere says so', () => {
    expect(checkCountText({ status: 'to-change', changes: 2 })).toBe('2 to change');
    expect(checkCountText({ status: 'to-change', changes: 0 })).toBe('changed in the checks it names');
    expect(checkCountText({ status: 'not-known', changes: 0 })).toBe('not known');
  });
});
