// How names travel in the API's and the pages' paths, agreed by the browser (lib/client/links.ts)
// and the route handlers: each name is one percent-encoded segment.

/**
 * The default exchange's name is the empty string, which cannot be a path segment. Pages and
 * the API both use `amq.default` (the name RabbitMQ's own management API uses for it; no one
 * can declare an `amq.*` exchange).
 */
export const DEFAULT_EXCHANGE_SEGMENT = 'amq.default';

export function exchangeSegment(name: string): string {
  return name === '' ? DEFAULT_EXCHANGE_SEGMENT : encodeURIComponent(name);
}

/** Inverse of exchangeSegment, for an already-decoded segment. */
export function exchangeNameFromSegment(decoded: string): string {
  return decoded === DEFAULT_EXCHANGE_SEGMENT ? '' : decoded;
}
