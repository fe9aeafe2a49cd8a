import { describe, expect, it, vi } from 'vitest';

describe('errors that cross from one bundle to another', () => {
  it('are recognised by a copy of their class loaded apart, as instrumentation.ts and the routes each have one', async () => {
    const first = await import('./errors');
    vi.resetModules();
    const second = await import('./errors');
    expect(second.BrokerError).not.toBe(first.BrokerError);

    const made = new first.BrokerError('timeout', 'GET /api/queues', 'too slow');
    expect(made instanceof second.BrokerError).toBe(true);
    expect(new first.PeekRefused('stream', 'a stream') instanceof second.PeekRefused).toBe(true);
    // Still only what it is.
    expect(made instanceof second.PeekRefused).toBe(false);
    expect(new Error('plain') instanceof second.BrokerError).toBe(false);
  });
});
