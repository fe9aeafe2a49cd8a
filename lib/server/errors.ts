import 'server-only';
// Every way a request can fail, and the one table from that to an HTTP status. The domain and
// the broker edge say what went wrong in their own terms (a refusal reason, a BrokerError's
// kind); only here does that become a status code.
import { BrokerError, type BrokerErrorKind, PeekRefused, recognisedAcrossBundles } from '@/lib/broker/errors';
import { NoSnapshotError } from './snapshot';

const STATUS = {
  /** A query or body the endpoint does not take. */
  'bad-parameters': 400,
  /** Not signed in, or the session ended; or credentials the broker refused at sign-in. */
  'not-signed-in': 401,
  /** Not allowed: an address that is not the trusted proxy, a vhost the broker does not show this operator. */
  forbidden: 403,
  /** A browser request from another site. */
  'cross-site': 403,
  'not-found': 404,
  /** An action the operator has not enabled. */
  'action-disabled': 409,
  /** An action that is enabled but refused for this object (a quorum queue's backlog, a stream). */
  refused: 409,
  'too-large': 413,
  'unsupported-media-type': 415,
  'too-many-attempts': 429,
  /** A configuration the server cannot honour. */
  misconfigured: 500,
  internal: 500,
  /** The broker answered, but not usefully: refused our credentials, failed, sent garbage. */
  'broker-failed': 502,
  'broker-unreachable': 502,
  'broker-timeout': 504,
  /** Nothing was ever read from the cluster's source (the broker, a capture file). */
  'no-snapshot': 503,
} as const satisfies Record<string, number>;

export type ErrorKind = keyof typeof STATUS;

export function httpStatusOf(kind: ErrorKind): number {
  return STATUS[kind];
}

/** A request that fails for a known reason, said in words the operator can act on. */
export class ApiFailure extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}
// Thrown by what the composition root made, which may be another bundle's copy of this module (lib/server/root.ts).
recognisedAcrossBundles(ApiFailure, 'ApiFailure');

const BROKER_KINDS: Record<BrokerErrorKind, ErrorKind> = {
  unreachable: 'broker-unreachable',
  timeout: 'broker-timeout',
  unauthorized: 'broker-failed',
  forbidden: 'broker-failed',
  'not-found': 'not-found',
  http: 'broker-failed',
  'invalid-answer': 'broker-failed',
};

/** What any error thrown while answering means for the requester; unknown ones are internal and logged. */
export function classify(err: unknown, where: string): { kind: ErrorKind; message: string } {
  if (err instanceof ApiFailure) return { kind: err.kind, message: err.message };
  if (err instanceof BrokerError) return { kind: BROKER_KINDS[err.kind], message: err.message };
  if (err instanceof PeekRefused)
    return { kind: err.reason === 'not-found' ? 'not-found' : err.reason === 'bad-count' ? 'bad-parameters' : 'refused', message: err.message };
  if (err instanceof NoSnapshotError) return { kind: 'no-snapshot', message: `the broker could not be read: ${err.message}` };
  console.error(`unexpected error in ${where}`, err);
  return { kind: 'internal', message: 'internal error; see the server log' };
}

/** For `answer ?? notFound('queue …')`: a missing object as the API says it. */
export function notFound(what: string): never {
  throw new ApiFailure('not-found', `${what} not found`);
}
