// Test helpers that talk to the real broker: each test file gets a vhost of its own and removes it.
import axios from 'axios';
import { randomBytes } from 'node:crypto';

export const MANAGEMENT_URL = process.env.RABBITMQ_MANAGEMENT_URL ?? 'http://127.0.0.1:15672';
export const AMQP_HOST = process.env.RABBITMQ_AMQP_HOST ?? '127.0.0.1';
export const AMQP_PORT = Number(process.env.RABBITMQ_AMQP_PORT ?? 5672);
const auth = {
  username: process.env.RABBITMQ_USERNAME ?? 'guest',
  password: process.env.RABBITMQ_PASSWORD ?? 'guest',
};

export const admin = axios.create({ baseURL: MANAGEMENT_URL, auth, timeout: 30_000 });

export function amqpUrl(vhost: string): string {
  return `amqp://${auth.username}:${auth.password}@${AMQP_HOST}:${AMQP_PORT}/${encodeURIComponent(vhost)}`;
}

export async function createTestVhost(prefix = 'test'): Promise<string> {
  const vhost = `${prefix}-${randomBytes(4).toString('hex')}`;
  const v = encodeURIComponent(vhost);
  await admin.put(`/api/vhosts/${v}`, {});
  await admin.put(`/api/permissions/${v}/${encodeURIComponent(auth.username)}`, {
    configure: '.*',
    write: '.*',
    read: '.*',
  });
  return vhost;
}

export async function deleteTestVhost(vhost: string): Promise<void> {
  await admin.delete(`/api/vhosts/${encodeURIComponent(vhost)}`, { validateStatus: (s) => s < 500 });
}

/** Polls until check() returns a truthy value or the time is up; returns that value. */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, timeoutMs = 30_000, stepMs = 500): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const value = await check();
      if (value) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, stepMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
}

/** A queue's arguments as declared: RabbitMQ 4 records the type it chose (`x-queue-type: classic`) beside them. */
export function declaredArguments(args: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!args || args['x-queue-type'] !== 'classic') return args;
  const { 'x-queue-type': _chosen, ...declared } = args;
  return declared;
}
