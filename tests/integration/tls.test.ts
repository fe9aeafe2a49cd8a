// A cluster of DASHBOARD_CONFIG reached over TLS with a private CA and a client certificate:
// an HTTPS front (made here with openssl) that demands the client certificate and forwards to
// the real management API. The dashboard reads the broker through it; without the client
// certificate, or without the CA, it says why it cannot.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OverviewResponse } from '@/lib/api/schemas';
import { eventually, MANAGEMENT_URL } from '../helpers/broker';
import { type DashboardServer, startDashboard } from '../helpers/dashboard-server';

const dir = mkdtempSync(path.join(tmpdir(), 'lens-tls-'));
const file = (name: string) => path.join(dir, name);
const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });

let front: https.Server;
let dashboard: DashboardServer;

function makeCertificates() {
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=lens test CA');
  for (const [name, subject, ext] of [
    ['server', '/CN=127.0.0.1', 'subjectAltName=IP:127.0.0.1'],
    ['client', '/CN=rabbit-lens', 'extendedKeyUsage=clientAuth'],
  ] as const) {
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject);
    writeFileSync(file(`${name}.ext`), `${ext}\n`);
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.pem`, '-days', '2', '-extfile', `${name}.ext`);
  }
}

beforeAll(async () => {
  makeCertificates();
  const target = new URL(MANAGEMENT_URL);
  front = https.createServer(
    { key: readFileSync(file('server.key')), cert: readFileSync(file('server.pem')), ca: readFileSync(file('ca.pem')), requestCert: true, rejectUnauthorized: true },
    (req, res) => {
      const upstream = http.request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    },
  );
  await new Promise<void>((r) => front.listen(0, '127.0.0.1', r));
  const url = `https://127.0.0.1:${(front.address() as AddressInfo).port}`;
  writeFileSync(
    file('clusters.yaml'),
    [
      'clusters:',
      `  - { id: tls, managementUrl: "${url}", passwordEnv: P, tls: { caFile: ${file('ca.pem')}, certFile: ${file('client.pem')}, keyFile: ${file('client.key')} } }`,
      `  - { id: no-client-cert, managementUrl: "${url}", passwordEnv: P, tls: { caFile: ${file('ca.pem')} } }`,
      `  - { id: no-ca, managementUrl: "${url}", passwordEnv: P }`,
    ].join('\n'),
  );
  dashboard = await startDashboard({ DASHBOARD_CONFIG: file('clusters.yaml'), P: 'guest', REQUEST_TIMEOUT_MS: '5000' });
}, 120_000);

afterAll(async () => {
  await dashboard?.stop();
  await new Promise<void>((r) => (front ? front.close(() => r()) : r()));
});

const overview = async (cluster: string) => {
  const res = await fetch(`${dashboard.url}/api/v1/clusters/${cluster}/overview`);
  return { httpStatus: res.status, body: (await res.json()) as OverviewResponse & { error?: string } };
};

describe('a cluster over TLS', () => {
  it('is read with its private CA and its client certificate', async () => {
    const { httpStatus, body } = await eventually(async () => {
      const o = await overview('tls');
      return o.httpStatus === 200 ? o : null;
    }, 30_000);
    expect(httpStatus).toBe(200);
    expect(body.broker.rabbitmqVersion).toMatch(/^\d+\.\d+/);
  });

  it('says why not, without the client certificate or without the CA', async () => {
    const noCert = await overview('no-client-cert');
    expect(noCert.httpStatus).toBe(503);
    expect(noCert.body.error).toMatch(/cannot reach the management API \(ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED\)/);
    const noCa = await overview('no-ca');
    expect(noCa.httpStatus).toBe(503);
    expect(noCa.body.error).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY|unable to (get|verify)/i);
  });
});
