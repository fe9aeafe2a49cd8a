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

describe('clusters', () => {
  const files: Record<string, string> = {
    '/etc/lens/clusters.yaml': `
clusters:
  - id: region-one
    name: Region One
    managementUrl: https://rabbit1.example.com:15671
    username: lens
    passwordEnv: REGION_ONE_PASSWORD
    amqpUrlEnv: REGION_ONE_AMQP
    tls: { caFile: /etc/lens/ca.pem, certFile: /etc/lens/client.pem, keyFile: /etc/lens/client.key }
    refreshIntervalMs: 10000
    actions: { probe: true }
  - id: cell-2
    managementUrl: http://10.0.0.2:15672
    usernameEnv: CELL2_USER
    passwordFile: /etc/lens/cell2.password
`,
    '/etc/lens/ca.pem': 'CA',
    '/etc/lens/client.pem': 'CERT',
    '/etc/lens/client.key': 'KEY',
    '/etc/lens/cell2.password': 'cell2-secret\n',
  };
  const readFile = (path: string) => {
    const content = files[path];
    if (content === undefined) throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
    return content;
  };
  const env = { DASHBOARD_CONFIG: '/etc/lens/clusters.yaml', REGION_ONE_PASSWORD: 'r1-secret', REGION_ONE_AMQP: 'amqps://lens:r1@rabbit1:5671/', CELL2_USER: 'monitor' };
  const withFile = (text: string) => (path: string) => (path === '/c.yaml' ? text : readFile(path));

  it('without DASHBOARD_CONFIG: one cluster, default, from the environment', () => {
    const { clusters, clustersFrom } = parseConfig({ RABBITMQ_MANAGEMENT_URL: 'http://lens:pw@rabbit:15672/', RABBITMQ_AMQP_URL: 'amqp://x:y@rabbit/' });
    expect(clustersFrom).toBe('the environment');
    expect(clusters).toEqual([
      expect.objectContaining({ id: 'default', name: 'default', managementUrl: 'http://rabbit:15672', username: 'lens', password: 'pw', amqpUrl: 'amqp://x:y@rabbit/', tls: null }),
    ]);
  });

  it('reads every cluster of the file, with its secrets from the environment and from files, never from the file itself', () => {
    const { clusters } = parseConfig(env, readFile);
    expect(clusters.map((c) => c.id)).toEqual(['region-one', 'cell-2']);
    expect(clusters[0]).toMatchObject({
      name: 'Region One',
      managementUrl: 'https://rabbit1.example.com:15671',
      username: 'lens',
      password: 'r1-secret',
      amqpUrl: 'amqps://lens:r1@rabbit1:5671/',
      refreshIntervalMs: 10_000,
      topologyIntervalMs: 60_000,
      peekEnabled: false,
    });
    expect(clusters[0]!.tls).toEqual({ ca: Buffer.from('CA'), cert: Buffer.from('CERT'), key: Buffer.from('KEY'), rejectUnauthorized: true });
    expect(clusters[1]).toMatchObject({ name: 'cell-2', username: 'monitor', password: 'cell2-secret', amqpUrl: null, tls: null, refreshIntervalMs: 2000 });
  });

  it('takes JSON too', () => {
    const json = JSON.stringify({ clusters: [{ id: 'a', managementUrl: 'http://a:15672', passwordEnv: 'P' }] });
    expect(parseConfig({ DASHBOARD_CONFIG: '/c.yaml', P: 'x' }, withFile(json)).clusters[0]).toMatchObject({ id: 'a', password: 'x', username: 'guest' });
  });

  it.each([
    ['password: hunter2', 'clusters[0].password: secrets never go in the file; use passwordEnv or passwordFile'],
    ['amqpUrl: amqp://a:b@c/', 'clusters[0].amqpUrl: secrets never go in the file; use amqpUrlEnv or amqpUrlFile'],
    ['passwordEnv: NOT_SET', 'cluster a: passwordEnv names NOT_SET, which is not set'],
    ['passwordFile: /nowhere', 'cluster a: passwordFile /nowhere cannot be read (ENOENT)'],
    ['passwordEnv: P\n    actions: { probe: true }', 'cluster a: actions.probe needs an AMQP URL'],
    ['passwordEnv: P\n    refreshIntervalMs: 10', 'clusters[0].refreshIntervalMs: Too small'],
    ['passwordEnv: P\n    colour: blue', 'clusters[0]: Unrecognized key: "colour"'],
    ['passwordEnv: P\n    tls: { caFile: /nowhere }', 'cluster a: tls.caFile /nowhere cannot be read'],
  ])('refuses %j, saying %j', (extra, message) => {
    const text = `clusters:\n  - id: a\n    managementUrl: http://a:15672\n    ${extra}\n`;
    expect(() => parseConfig({ DASHBOARD_CONFIG: '/c.yaml', P: 'x' }, withFile(text))).toThrow(message);
  });

  it('refuses a file it cannot read, cannot parse, without clusters, or with an id twice', () => {
    expect(() => parseConfig({ DASHBOARD_CONFIG: '/missing.yaml' }, readFile)).toThrow('DASHBOARD_CONFIG /missing.yaml cannot be read (ENOENT)');
    expect(() => parseConfig({ DASHBOARD_CONFIG: '/c.yaml' }, withFile('clusters: [unclosed'))).toThrow(/is neither YAML nor JSON/);
    expect(() => parseConfig({ DASHBOARD_CONFIG: '/c.yaml' }, withFile('clusters: []'))).toThrow('list at least one cluster');
    const twice = 'clusters:\n  - { id: a, managementUrl: "http://a:1", passwordEnv: P }\n  - { id: a, managementUrl: "http://b:1", passwordEnv: P }\n';
    expect(() => parseConfig({ DASHBOARD_CONFIG: '/c.yaml', P: 'x' }, withFile(twice))).toThrow('two clusters have the id a');
    const badId = 'clusters:\n  - { id: "Region One", managementUrl: "http://a:1", passwordEnv: P }\n';
    expect(() => parseConfig({ DASHBOARD_CONFIG: '/c.yaml', P: 'x' }, withFile(badId))).toThrow(/clusters\[0\]\.id: lower-case letters/);
  });

  it('reads from the Prometheus plugin only when told where it is; by default only when the management API has no statistics', () => {
    expect(parseConfig({}).clusters[0]?.prometheus).toBeNull();
    expect(parseConfig({ RABBITMQ_PROMETHEUS_URL: 'http://rabbit:15692/' }).clusters[0]?.prometheus).toEqual({ urls: ['http://rabbit:15692'] });
    // A cluster: one plugin per node, each answering for the queues it hosts.
    expect(parseConfig({ RABBITMQ_PROMETHEUS_URL: 'http://r1:15692, http://r2:15692' }).clusters[0]?.prometheus).toEqual({ urls: ['http://r1:15692', 'http://r2:15692'] });
    expect(() => parseConfig({ RABBITMQ_PROMETHEUS_URL: 'http://r1:15692,ftp://r2' })).toThrow(/RABBITMQ_PROMETHEUS_URL/);
    const text = 'clusters:\n  - id: a\n    managementUrl: http://a:15672\n    passwordEnv: P\n    prometheus: { url: "https://a:15691" }\n';
    expect(parseConfig({ DASHBOARD_CONFIG: '/c.yaml', P: 'x' }, withFile(text)).clusters[0]?.prometheus).toEqual({ urls: ['https://a:15691'] });
    const nodes = 'clusters:\n  - id: a\n    managementUrl: http://a:15672\n    passwordEnv: P\n    prometheus: { urls: ["http://a1:15692", "http://a2:15692"], use: always }\n';
    expect(parseConfig({ DASHBOARD_CONFIG: '/c.yaml', P: 'x' }, withFile(nodes)).clusters[0]?.prometheus).toEqual({ urls: ['http://a1:15692', 'http://a2:15692'] });
    const nowhere = 'clusters:\n  - id: a\n    managementUrl: http://a:15672\n    passwordEnv: P\n    prometheus: {}\n';
    expect(() => parseConfig({ DASHBOARD_CONFIG: '/c.yaml', P: 'x' }, withFile(nowhere))).toThrow(/clusters\[0\]\.prometheus: say where the plugin is/);
  });

  it('watches every cluster from start-up unless told to read only while someone looks', () => {
    expect(parseConfig({}).clusters[0]?.watch).toBe('always');
    expect(parseConfig({ WATCH_MODE: 'on-demand' }).clusters[0]?.watch).toBe('on-demand');
    expect(() => parseConfig({ WATCH_MODE: 'sometimes' })).toThrow(/WATCH_MODE/);
    const file = 'clusters:\n  - id: a\n    managementUrl: http://a:15672\n    passwordEnv: P\n    watch: on-demand\n  - id: b\n    managementUrl: http://b:15672\n    passwordEnv: P\n';
    expect(parseConfig({ DASHBOARD_CONFIG: '/c.yaml', P: 'x' }, withFile(file)).clusters.map((c) => c.watch)).toEqual(['on-demand', 'always']);
  });
});

describe('the store of history and journal', () => {
  it('is a SQLite file under the project by default, a PostgreSQL URL when given, none when off', () => {
    expect(parseConfig({}).store).toEqual({ location: 'data/history.sqlite' });
    expect(parseConfig({ HISTORY_STORE: 'postgres://lens@db/lens' }).store).toEqual({ location: 'postgres://lens@db/lens' });
    expect(parseConfig({ HISTORY_STORE: 'off' }).store).toBeNull();
  });
});
