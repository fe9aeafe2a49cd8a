// The management API answers captured from a real oslo.messaging (../shared/fixtures/oslo-wire).
import { readFileSync } from 'node:fs';
import path from 'node:path';

export const OSLO_WIRE_DIR = path.resolve(__dirname, '../../../shared/fixtures/oslo-wire');

export function readFixture(name: string): unknown {
  return JSON.parse(readFileSync(path.join(OSLO_WIRE_DIR, name), 'utf8'));
}
