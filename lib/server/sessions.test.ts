import { describe, expect, it } from 'vitest';
import { SessionStore, SignInThrottle } from './sessions';

const alice = { username: 'alice', password: 'secret' };

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('SessionStore', () => {
  it('knows a session by its id and keeps it alive while it is used', () => {
    const c = clock();
    const store = new SessionStore({ idleMs: 10_000, maxMs: 60_000, now: c.now });
    const s = store.create(alice, ['monitoring']);
    expect(s.id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    for (let i = 0; i < 5; i++) {
      c.advance(9_000);
      expect(store.use(s.id)?.credentials).toEqual(alice);
    }
    expect(store.use(s.id)?.tags).toEqual(['monitoring']);
  });

  it('ends a session left idle too long', () => {
    const c = clock();
    const store = new SessionStore({ idleMs: 10_000, maxMs: 60_000, now: c.now });
    const s = store.create(alice);
    c.advance(10_000);
    expect(store.use(s.id)).toBeNull();
    expect(store.size).toBe(0);
  });

  it('ends a session at its maximum age however much it is used', () => {
    const c = clock();
    const store = new SessionStore({ idleMs: 10_000, maxMs: 30_000, now: c.now });
    const s = store.create(alice);
    expect(s.expiresAt).toBe(c.now() + 30_000);
    c.advance(9_000);
    expect(store.use(s.id)).not.toBeNull();
    c.advance(9_000);
    expect(store.use(s.id)).not.toBeNull();
    c.advance(9_000);
    expect(store.use(s.id)).not.toBeNull();
    c.advance(3_000);
    expect(store.use(s.id)).toBeNull();
  });

  it('ends a session on sign-out, and knows no made-up ids', () => {
    const store = new SessionStore({ idleMs: 10_000, maxMs: 60_000 });
    const a = store.create(alice);
    const b = store.create(alice);
    expect(a.id).not.toBe(b.id);
    store.end(a.id);
    expect(store.use(a.id)).toBeNull();
    expect(store.use(b.id)).not.toBeNull();
    expect(store.use(undefined)).toBeNull();
    expect(store.use('')).toBeNull();
    expect(store.use(`${b.id}x`)).toBeNull();
  });

  it('forgets ended sessions when new ones are made', () => {
    const c = clock();
    const store = new SessionStore({ idleMs: 10_000, maxMs: 60_000, now: c.now });
    for (let i = 0; i < 5; i++) store.create(alice);
    c.advance(11_000);
    store.create(alice);
    expect(store.size).toBe(1);
  });
});

describe('SignInThrottle', () => {
  it('refuses after the limit of failures within the window, then lets the key try again', () => {
    const c = clock();
    const t = new SignInThrottle({ limit: 3, windowMs: 60_000, now: c.now });
    for (let i = 0; i < 3; i++) {
      expect(t.retryAfterMs('a')).toBe(0);
      t.failed('a');
    }
    expect(t.retryAfterMs('a')).toBe(60_000);
    expect(t.retryAfterMs('b')).toBe(0);
    c.advance(45_000);
    expect(t.retryAfterMs('a')).toBe(15_000);
    c.advance(15_000);
    expect(t.retryAfterMs('a')).toBe(0);
  });

  it('starts counting again after a success', () => {
    const t = new SignInThrottle({ limit: 2, windowMs: 60_000 });
    t.failed('a');
    t.succeeded('a');
    t.failed('a');
    expect(t.retryAfterMs('a')).toBe(0);
  });
});
