import 'server-only';
// RabbitMQ 4's HTTP listeners (Cowboy) close a keep-alive connection after ~5 s idle. A request
// the client sends on such a connection as the server closes it fails with ECONNRESET (measured
// on 4.0.5: 20 resets in 72 polls 5 s apart; none on 3.10.8). Nothing reached the broker's
// handler: a GET sent again on a new connection is safe, and the failure is not the broker's.
import http from 'node:http';
import https from 'node:https';
import { isAxiosError, type AxiosRequestConfig } from 'axios';

const RESET_CODES = new Set(['ECONNRESET', 'EPIPE']);

/** Whether a request failed because the server had closed the idle connection it was sent on. */
export function closedWhileIdle(err: unknown): boolean {
  if (!isAxiosError(err) || err.response) return false;
  if (!(err.code !== undefined && RESET_CODES.has(err.code)) && !/socket hang up/i.test(err.message)) return false;
  // follow-redirects wraps Node's request; the flag is on the request actually sent.
  const req = err.request as { reusedSocket?: boolean; _currentRequest?: { reusedSocket?: boolean } } | undefined;
  return (req?.reusedSocket ?? req?._currentRequest?.reusedSocket) === true;
}

const freshHttpAgent = new http.Agent({ keepAlive: false });

/** Request settings that make the retry go out on a connection of its own (with the same TLS settings). */
export function onNewConnection(tlsAgent: https.Agent | undefined): AxiosRequestConfig {
  return { httpAgent: freshHttpAgent, httpsAgent: new https.Agent({ ...(tlsAgent?.options ?? {}), keepAlive: false }) };
}

/** Sends; once more on a new connection when the first failed only because the server closed an idle connection. */
export async function retryIfClosedWhileIdle<T>(
  send: (config: AxiosRequestConfig) => Promise<T>,
  tlsAgent: https.Agent | undefined,
  onRetry?: () => void,
): Promise<T> {
  try {
    return await send({});
  } catch (err) {
    if (!closedWhileIdle(err)) throw err;
    onRetry?.();
    return send(onNewConnection(tlsAgent));
  }
}
