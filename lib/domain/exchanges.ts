// Exchanges as operators name and search them.
import type { Exchange } from './types';

/** What the user sees for an exchange name: the default exchange's is empty. */
export function exchangeLabel(name: string): string {
  return name === '' ? '(AMQP default)' : name;
}

/** An exchange whose name, type, vhost or component holds the text (ignoring case). */
export function exchangeMatches(e: Pick<Exchange, 'name' | 'type' | 'vhost' | 'component'>, q: string): boolean {
  const needle = q.trim().toLowerCase();
  if (!needle) return true;
  return [exchangeLabel(e.name), e.type, e.vhost, e.component ?? ''].some((f) => f.toLowerCase().includes(needle));
}
