/**
 * When to ask the management API again about something it does not yet agree on with the plugin
 * (a queue's consumers, a consumer's connection). It lags the plugin by its statistics interval,
 * more on a busy broker, and sometimes for good; so each thing is asked again after firstMs, then
 * twice as long after each answer in the same state, never less often than every maxMs. Asking
 * never stops, and a thousand such things still cost little.
 */
export class AskAgain {
  private readonly asked = new Map<string, { state: number; at: number; times: number }>();

  constructor(
    private readonly firstMs: number,
    private readonly maxMs: number,
  ) {}

  /** Whether `key`, now in `state`, is to be asked about at `now`. */
  due(key: string, state: number, now: number): boolean {
    const last = this.asked.get(key);
    if (!last || last.state !== state) return true;
    return now - last.at >= Math.min(this.firstMs * 2 ** (last.times - 1), this.maxMs);
  }

  asking(key: string, state: number, now: number): void {
    const last = this.asked.get(key);
    this.asked.set(key, { state, at: now, times: last?.state === state ? last.times + 1 : 1 });
  }

  /** The answer agrees now (or the thing is gone): start from scratch if it disagrees again. */
  settled(key: string): void {
    this.asked.delete(key);
  }

  /** Forgets everything not in `keys`. */
  keepOnly(keys: { has(key: string): boolean }): void {
    for (const key of this.asked.keys()) if (!keys.has(key)) this.asked.delete(key);
  }

  clear(): void {
    this.asked.clear();
  }
}
