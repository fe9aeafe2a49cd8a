import 'server-only';
import type { PeekRefusalReason } from '@/lib/domain/backlog';

/**
 * Next compiles instrumentation.ts, which starts reading every cluster when the server starts, apart
 * from the routes: each side has its own copy of a class, and `instanceof` says no to an error made on
 * one side (a cluster's refresh, its client) and judged on the other (a route). Errors that cross are
 * recognised by a symbol from the global registry instead, the same on both sides.
 */
export function recognisedAcrossBundles(cls: abstract new (...args: never[]) => Error, name: string): void {
  const key = Symbol.for(`openstack-rabbit-lens.${name}`);
  Object.defineProperty(cls.prototype, key, { value: true });
  Object.defineProperty(cls, Symbol.hasInstance, { value: (value: unknown) => typeof value === 'object' && value !== null && key in value });
}

export type BrokerErrorKind = 'unreachable' | 'timeout' | 'unauthorized' | 'forbidden' | 'not-found' | 'http' | 'invalid-answer';

/** A failed management API request, said in words an operator can act on. */
export class BrokerError extends Error {
  constructor(
    readonly kind: BrokerErrorKind,
    /** The request path, without credentials. */
    readonly request: string,
    message: string,
    readonly httpStatus: number | null = null,
  ) {
    super(message);
    this.name = 'BrokerError';
  }
}
recognisedAcrossBundles(BrokerError, 'BrokerError');

/** A peek that is refused, or of a queue that is not there. */
export class PeekRefused extends Error {
  constructor(
    readonly reason: PeekRefusalReason | 'not-found',
    message: string,
  ) {
    super(message);
    this.name = 'PeekRefused';
  }
}
recognisedAcrossBundles(PeekRefused, 'PeekRefused');
