// What depends on one refresh's state alone, computed when first asked and kept by that state
// (ClusterState.memo), so that every request reading the same state shares it and the next
// refresh starts empty. A state lives one refresh interval; nothing here outlives it.
import type { ClusterState } from './state';

/** A state's cache. Slots are the functions passed to perState and perStateKeyed. */
export class StateMemo {
  readonly #values = new Map<object, unknown>();
  readonly #keyed = new Map<object, Map<string, unknown>>();

  once<T>(slot: object, compute: () => T): T {
    if (this.#values.has(slot)) return this.#values.get(slot) as T;
    const value = compute();
    this.#values.set(slot, value);
    return value;
  }

  /** One value per key, the `max` most recently used kept (a Map iterates in insertion order: the first is the oldest). */
  keyed<T>(slot: object, key: string, max: number, compute: () => T): T {
    let values = this.#keyed.get(slot);
    if (!values) this.#keyed.set(slot, (values = new Map()));
    if (values.has(key)) {
      const value = values.get(key) as T;
      values.delete(key);
      values.set(key, value);
      return value;
    }
    const value = compute();
    values.set(key, value);
    for (const oldest of values.keys()) {
      if (values.size <= max) break;
      values.delete(oldest);
    }
    return value;
  }

  /** How many values it keeps, over every slot. */
  get size(): number {
    let n = this.#values.size;
    for (const values of this.#keyed.values()) n += values.size;
    return n;
  }
}

/** `compute` once per state: later calls with the same state return the same value. */
export function perState<T>(compute: (state: ClusterState) => T): (state: ClusterState) => T {
  return (state) => state.memo.once(compute, () => compute(state));
}

/** `compute` once per state and key, the `max` most recently used keys of each state kept. */
export function perStateKeyed<A extends unknown[], T>(
  max: number,
  key: (...args: A) => string,
  compute: (state: ClusterState, ...args: A) => T,
): (state: ClusterState, ...args: A) => T {
  return (state, ...args) => state.memo.keyed(compute, key(...args), max, () => compute(state, ...args));
}

/** The value with every object and array in it frozen: what one request gets, the next gets too, unchanged. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
