import { defineConfig } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const port = Number(process.env.E2E_PORT ?? 3199);

export default defineConfig({
  testDir: 'e2e',
  // The 4.3 trap restarts the 4.3 node of scripts/forky.sh: only in the run against it (E2E_NOVA=forky).
  testIgnore: process.env.E2E_NOVA === 'forky' ? [] : ['when-rabbitmq-denies.spec.ts'],
  outputDir: 'artifacts/test-results',
  timeout: 60_000,
  expect: { timeout: 20_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  globalSetup: './e2e/global-setup.ts',
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    viewport: { width: 1440, height: 1000 },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      // Debian's Chromium; Playwright never downloads a browser here.
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
  webServer: {
    command: `node server.mjs -p ${port}`,
    url: `http://127.0.0.1:${port}/api/v1/clusters`,
    reuseExistingServer: false,
    timeout: 120_000,
    env: {
      REFRESH_INTERVAL_MS: '2000',
      FINDINGS_WINDOW_MS: '20000',
      FINDINGS_GRACE_MS: '6000',
      RABBITMQ_AMQP_URL: process.env.RABBITMQ_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672/',
      PEEK_ENABLED: 'true',
      // Counts from the main broker's Prometheus plugin (scripts/setup.sh enables it), as the demo runs.
      RABBITMQ_PROMETHEUS_URL: process.env.RABBITMQ_PROMETHEUS_URL ?? 'http://127.0.0.1:15692',
      // A store of this run's own: never the demo's history.
      HISTORY_STORE: path.join(mkdtempSync(path.join(tmpdir(), 'lens-e2e-')), 'history.sqlite'),
    },
  },
});
