// What amqplib's failures mean, in words an operator acts on: shared by the RPC ping and the event feed.

/** The broker's reason out of amqplib's message, e.g. `NOT_FOUND - no exchange 'x' in vhost 'y'`. */
export function brokerReason(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return /with message "([^"]*)"/.exec(message)?.[1] ?? message;
}

/** A connection that did not reach the broker, by its system error; null when it did reach it. */
export function unreachable(err: unknown, where: string): string | null {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  switch (code) {
    case 'ECONNREFUSED':
      return `cannot reach ${where}: connection refused`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot reach ${where}: unknown host`;
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ECONNRESET':
      return `cannot reach ${where}: ${code}`;
    default:
      return null;
  }
}
