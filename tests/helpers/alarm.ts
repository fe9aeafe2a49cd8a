// A memory alarm on the local test broker: every publishing connection gets blocked, /api/nodes
// says mem_alarm: true. Raised by lowering vm_memory_high_watermark below what the node uses,
// and always restored to the default (0.4) afterwards.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { z } from 'zod';
import { admin, eventually } from './broker';

const run = promisify(execFile);
export const RABBITMQCTL = process.env.RABBITMQCTL ?? 'rabbitmqctl';
/** RabbitMQ's default watermark (relative to the machine's memory). */
export const DEFAULT_WATERMARK = '0.4';

const NodesResponse = z.array(z.object({ name: z.string(), mem_alarm: z.boolean().optional() }));

/** True when any node of the broker reports a memory alarm in /api/nodes. */
export async function memAlarmShown(): Promise<boolean> {
  const nodes = NodesResponse.parse((await admin.get('/api/nodes', { params: { columns: 'name,mem_alarm' } })).data);
  return nodes.some((n) => n.mem_alarm === true);
}

export async function setWatermark(value: string): Promise<void> {
  await run(RABBITMQCTL, ['set_vm_memory_high_watermark', value], { timeout: 30_000 });
}

/**
 * Runs fn while the broker is in memory alarm. Waits until /api/nodes shows the alarm before
 * calling fn, and in every case restores the watermark and waits until the alarm is gone.
 */
export async function withMemoryAlarm<T>(fn: () => Promise<T>, timeoutMs = 30_000): Promise<T> {
  try {
    // a tiny fraction of the machine's memory: below what any running node uses
    await setWatermark('0.0001');
    await eventually(() => memAlarmShown(), timeoutMs, 250);
    return await fn();
  } finally {
    await setWatermark(DEFAULT_WATERMARK);
    await eventually(async () => !(await memAlarmShown()), timeoutMs, 250);
  }
}
