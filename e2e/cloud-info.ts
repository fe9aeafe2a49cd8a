import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ProcessInfo } from '../sim/process';

export const CLOUD_INFO_FILE = path.resolve(__dirname, '../artifacts/e2e-cloud.json');

export interface E2eCloud {
  vhost: string;
  processes: ProcessInfo[];
}

export function cloudInfo(): E2eCloud {
  return JSON.parse(readFileSync(CLOUD_INFO_FILE, 'utf8')) as E2eCloud;
}

/** Where the specs save what they saw; E2E_SCREENSHOTS for a second run (against RabbitMQ 4). */
export const SCREENSHOTS = path.resolve(__dirname, '..', process.env.E2E_SCREENSHOTS ?? 'artifacts/screenshots');
