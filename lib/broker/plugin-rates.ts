// The rates from the Prometheus plugin's counters: read in the background so that no refresh
// waits for them (they cost as much as the counts), twice at first for the first rates, then
// every RATES_INTERVAL_MS. A reading that fails leaves the rates as they were until the next one;
// one that lands after the plugin was given up is dropped.
import type { MessageRates } from '@/lib/domain/types';
import { type PrometheusReading, queueRates, readPrometheus } from './prometheus-stats';

/** How often the plugin's counters are read for the rates. */
export const RATES_INTERVAL_MS = 10_000;

export class PluginRates {
  private lastCounters: PrometheusReading | null = null;
  private lastRates: Map<string, MessageRates> | null = null;
  private reading: Promise<void> | null = null;
  /** Moves on when the plugin is given up, so that a counters reading still under way is not taken. */
  private generation = 0;

  constructor(
    private readonly options: { timeoutMs: number; httpsAgent: Parameters<typeof readPrometheus>[0]['httpsAgent']; now: () => number },
  ) {}

  /** Per queue (refKey), as of the last two readings of the counters; null until there are two. */
  rates(): ReadonlyMap<string, MessageRates> | null {
    return this.lastRates;
  }

  /** Reads the counters again in the background, when due. */
  refresh(urls: readonly string[]): void {
    const { now } = this.options;
    const due = !this.lastCounters || !this.lastRates || now() - this.lastCounters.at >= RATES_INTERVAL_MS;
    if (this.reading || !due) return;
    const generation = this.generation;
    this.reading = readPrometheus({ urls, gauges: false, counters: true, timeoutMs: this.options.timeoutMs, httpsAgent: this.options.httpsAgent }, now)
      .then(
        (reading) => {
          if (generation !== this.generation) return;
          this.lastRates = this.lastCounters ? queueRates(this.lastCounters, reading) : null;
          this.lastCounters = reading;
        },
        () => undefined,
      )
      .finally(() => {
        this.reading = null;
      });
  }

  /** The plugin is not used now: what it said is forgotten, and a reading under way is dropped. */
  forget(): void {
    this.lastCounters = null;
    this.lastRates = null;
    this.generation++;
  }
}
