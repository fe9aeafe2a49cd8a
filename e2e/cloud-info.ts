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

export const SCREENSHOTS = path.resolve(__dirname, '../artifacts/screenshots');
