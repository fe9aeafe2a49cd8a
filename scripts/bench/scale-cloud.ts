// sim/scale-cli.ts as bench:watch runs it (same options), with the names a process picks made stable:
// its pid (Math.random seeded) and the unique part of its reply and fanout queues (a hash of host,
// binary and a counter). A second cloud of the same size on the same vhost is then the same processes
// with the same queues, as oslo.messaging reconnecting after a broker restart re-declares the queues
// it had; bench:watch's burst closes every connection at once and starts the cloud again this way.
// The simulator itself is not changed: its private uniqueSuffix is replaced here, before the cloud starts.
import { createHash } from 'node:crypto';
import { SimProcess } from '../../sim/process';

// mulberry32: pids drawn in the same order come out the same in every run.
let seed = 0x5eed1000;
Math.random = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

type Patched = { host: string; binary: string; layout: { useQueueManager: boolean }; stableCounter?: number };
const proto = SimProcess.prototype as unknown as { uniqueSuffix: (this: Patched) => string };
const original = proto.uniqueSuffix;
if (typeof original !== 'function') throw new Error('sim/process.ts no longer has uniqueSuffix: update scripts/bench/scale-cloud.ts');
proto.uniqueSuffix = function (this: Patched) {
  if (this.layout.useQueueManager) return original.call(this);
  this.stableCounter = (this.stableCounter ?? 0) + 1;
  return createHash('sha256').update(`${this.host}/${this.binary}/${this.stableCounter}`).digest('hex').slice(0, 32);
};

void import('../../sim/scale-cli');
