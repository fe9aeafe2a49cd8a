import { describe, expect, it } from 'vitest';
import { servicesHref } from '@/lib/client/links';
import { lastActivity, parseServicesFilters, probeText } from './services-shaping';

describe('services filters', () => {
  it('round-trip through the URL, and unknown values are dropped', () => {
    const f = { component: 'nova', topic: 'compute', vhost: '/', q: 'a b#c', status: 'trouble' as const };
    const href = servicesHref(f);
    expect(href.startsWith('/services?')).toBe(true);
    expect(parseServicesFilters(new URLSearchParams(href.slice(href.indexOf('?'))))).toEqual(f);
    expect(servicesHref()).toBe('/services');
    expect(parseServicesFilters(new URLSearchParams('status=sleeping'))).toEqual({});
  });
});

describe('words', () => {
  const now = Date.parse('2026-01-01T10:05:00Z');
  it('last activity from since when the queue is idle', () => {
    expect(lastActivity(null, now)).toBe('busy');
    expect(lastActivity(Date.parse('2026-01-01T10:02:00Z'), now)).toBe('idle 3 min');
    expect(lastActivity(Date.parse('2026-01-01T10:04:30Z'), now)).toBe('idle 30 s');
  });
  it('a ping answer', () => {
    expect(probeText({ status: 'alive', latencyMs: 12.4, detail: 'ok' })).toEqual({ text: 'alive · 12 ms', tone: 'green' });
    expect(probeText({ status: 'timeout', latencyMs: null, detail: 'no reply in 5000 ms' })).toEqual({ text: 'timeout — not consuming', tone: 'red' });
    expect(probeText({ status: 'error', latencyMs: null, detail: 'NOT_FOUND - no exchange' })).toEqual({ text: 'NOT_FOUND - no exchange', tone: 'amber' });
  });
});
