import { describe, expect, it } from 'vitest';
import { parseConfig } from './config';

describe('authentication settings', () => {
  it('has none by default', () => {
    expect(parseConfig({}).auth).toEqual({ mode: 'none' });
  });

  it('login: sessions end when idle and at a maximum age; idle is never longer than the maximum', () => {
    expect(parseConfig({ AUTH_MODE: 'login' }).auth).toEqual({ mode: 'login', sessionIdleMs: 3_600_000, sessionMaxMs: 43_200_000 });
    expect(parseConfig({ AUTH_MODE: 'login', SESSION_IDLE_MS: '7200000', SESSION_MAX_MS: '600000' }).auth).toMatchObject({ sessionIdleMs: 600_000 });
  });

  it('proxy: needs the proxies\' addresses, takes addresses and networks of both families', () => {
    expect(() => parseConfig({ AUTH_MODE: 'proxy' })).toThrow(/AUTH_TRUSTED_PROXIES/);
    expect(parseConfig({ AUTH_MODE: 'proxy', AUTH_TRUSTED_PROXIES: ' 10.0.0.5, 10.1.0.0/16,fd00::/8 ,::1' }).auth).toEqual({
      mode: 'proxy',
      userHeader: 'x-forwarded-user',
      trustedProxies: ['10.0.0.5', '10.1.0.0/16', 'fd00::/8', '::1'],
    });
  });

  it.each(['proxy.example.com', '10.0.0.0/33', '10.0.0.1/8/8', '10.0.0/8', 'fd00::/129', '10.0.0.1/'])('refuses %s as a trusted proxy, naming it', (entry) => {
    expect(() => parseConfig({ AUTH_MODE: 'proxy', AUTH_TRUSTED_PROXIES: entry })).toThrow(entry);
  });

  it('refuses a user header the client or the dashboard itself controls', () => {
    for (const h of ['Cookie', 'authorization', 'x-lens-peer', 'X-User Name'])
      expect(() => parseConfig({ AUTH_MODE: 'proxy', AUTH_TRUSTED_PROXIES: '10.0.0.5', AUTH_PROXY_HEADER: h }), h).toThrow(/AUTH_PROXY_HEADER/);
  });

  it('refuses an unknown mode', () => {
    expect(() => parseConfig({ AUTH_MODE: 'basic' })).toThrow(/AUTH_MODE/);
  });
});
