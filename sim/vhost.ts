// Creates the simulator's vhost through the management API when it is missing
// (RABBITMQ_MANAGEMENT_URL, RABBITMQ_USERNAME, RABBITMQ_PASSWORD; defaults: local broker, guest/guest).
import axios from 'axios';
import { z } from 'zod';

const EnvSchema = z.object({
  RABBITMQ_MANAGEMENT_URL: z.url().default('http://127.0.0.1:15672'),
  RABBITMQ_USERNAME: z.string().default('guest'),
  RABBITMQ_PASSWORD: z.string().default('guest'),
});

/** Returns true when it created the vhost. `managementUrl` overrides RABBITMQ_MANAGEMENT_URL. */
export async function ensureVhost(vhost: string, managementUrl?: string): Promise<boolean> {
  const env = EnvSchema.parse(process.env);
  const admin = axios.create({
    baseURL: managementUrl ?? env.RABBITMQ_MANAGEMENT_URL,
    auth: { username: env.RABBITMQ_USERNAME, password: env.RABBITMQ_PASSWORD },
    timeout: 15_000,
  });
  const v = encodeURIComponent(vhost);
  const existing = await admin.get(`/api/vhosts/${v}`, { validateStatus: (s) => s === 200 || s === 404 });
  if (existing.status !== 404) return false;
  await admin.put(`/api/vhosts/${v}`, {});
  await admin.put(`/api/permissions/${v}/${encodeURIComponent(env.RABBITMQ_USERNAME)}`, { configure: '.*', write: '.*', read: '.*' });
  return true;
}
