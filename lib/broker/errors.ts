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
