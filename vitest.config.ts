import { defineConfig } from 'vitest/config';
import path from 'node:path';

const alias = {
  '@': path.resolve(__dirname),
  'server-only': path.resolve(__dirname, 'lib/testing/server-only-stub.ts'),
};

/** Integration tests that run against RabbitMQ 3.10 and again against 4.0. */
const RABBITMQ4_TWICE = [
  'tests/integration/topology.test.ts',
  'tests/integration/oslo-compat.test.ts',
  'tests/integration/findings.test.ts',
  'tests/integration/probe.test.ts',
  'tests/integration/peek.test.ts',
  'tests/integration/prometheus-stats.test.ts',
  'tests/integration/journal-oslo.test.ts',
  'tests/integration/upgrade.test.ts',
  'tests/integration/streams.test.ts',
  'tests/integration/new-queues.test.ts',
];
/** Integration tests about RabbitMQ 4 alone. */
const RABBITMQ4_ONLY = ['tests/integration/rabbitmq4/**/*.test.ts'];
/** Of those, what needs 4.0's three-node cluster (scripts/rabbitmq4.sh cluster): not run on 4.3. */
const RABBITMQ40_CLUSTER = ['tests/integration/rabbitmq4/quorum-cluster.test.ts'];
/** Integration tests about RabbitMQ 4.3 alone (its denials). */
const RABBITMQ43_ONLY = ['tests/integration/rabbitmq43/**/*.test.ts'];

export default defineConfig({
  resolve: { alias },
  test: {
    // One real broker: test files run one after another so their loads do not skew each other.
    fileParallelism: false,
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          include: ['lib/**/*.test.ts', 'sim/**/*.test.ts', 'components/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          exclude: ['**/node_modules/**', ...RABBITMQ4_ONLY, ...RABBITMQ43_ONLY],
          environment: 'node',
          // A cluster read in the test's own process keeps no store (never the project's data/); a
          // dashboard a test starts gets a store of its own (tests/helpers/dashboard-server.ts).
          env: { HISTORY_STORE: 'off' },
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        // The same kind of tests against RabbitMQ 4.0 (Debian 13's 4.0.5 from scripts/rabbitmq4.sh, which
        // scripts/test.sh starts) with Debian 13's oslo.messaging 16.1.0: the files that read what a broker
        // and oslo declare, plus those about RabbitMQ 4 alone. The rest (faults, auth, TLS, the store, ...)
        // does not depend on the broker's version and runs once, against 3.10.
        resolve: { alias },
        test: {
          name: 'rabbitmq4',
          include: [...RABBITMQ4_TWICE, ...RABBITMQ4_ONLY],
          environment: 'node',
          env: {
            HISTORY_STORE: 'off',
            RABBITMQ_MANAGEMENT_URL: 'http://127.0.0.1:15720',
            RABBITMQ_AMQP_PORT: '5710',
            RABBITMQ_PROMETHEUS_URL: 'http://127.0.0.1:15730',
            OSLO_PYTHON: path.resolve(__dirname, 'scripts/oslo16-python'),
            RABBITMQCTL: path.resolve(__dirname, 'scripts/rabbitmqctl4'),
          },
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        // Again on RabbitMQ 4.3 (Debian forky's 4.3.6, Erlang/OTP 29, Khepri; scripts/forky.sh, which
        // scripts/test.sh starts) with forky's oslo.messaging 18.3: what 4.0 runs, but its cluster.
        resolve: { alias },
        test: {
          name: 'rabbitmq43',
          include: [...RABBITMQ4_TWICE, ...RABBITMQ4_ONLY, ...RABBITMQ43_ONLY],
          exclude: ['**/node_modules/**', ...RABBITMQ40_CLUSTER],
          environment: 'node',
          env: {
            HISTORY_STORE: 'off',
            RABBITMQ_MANAGEMENT_URL: 'http://127.0.0.1:15750',
            RABBITMQ_AMQP_PORT: '5740',
            RABBITMQ_PROMETHEUS_URL: 'http://127.0.0.1:15760',
            OSLO_PYTHON: path.resolve(__dirname, 'scripts/oslo18-python'),
            RABBITMQCTL: path.resolve(__dirname, 'scripts/rabbitmqctl43'),
          },
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
