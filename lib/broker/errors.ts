import 'server-only';
import type { PeekRefusalReason } from '@/lib/domain/backlog';

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
