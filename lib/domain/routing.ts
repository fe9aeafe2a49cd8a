// Where does a message go? The broker's routing, computed from the bindings it reported:
// the default exchange, direct, fanout and topic exchanges, exchange-to-exchange bindings
// and alternate exchanges. Pure: no broker is asked, nothing is published.
import type { BindingInput, Topology } from './types';

/** How a queue was reached: the exchanges in order, and the binding key that matched last. */
export interface RoutedQueue {
  vhost: string;
  name: string;
  /** Exchange names from the one published to, through exchange-to-exchange bindings or alternate exchanges. */
  through: string[];
  /** The binding key that matched (the queue name for the default exchange; null for fanout). */
  bindingKey: string | null;
}

export interface RouteResult {
  vhost: string;
  exchange: string;
  routingKey: string;
  /** Each queue once: the broker delivers one copy however many bindings match. */
  queues: RoutedQueue[];
  /** The bindings that matched, in the order they were followed. */
  matched: BindingInput[];
  /** The exchanges the message passed through (the first is the one published to). */
  exchanges: string[];
  /** Things the computation could not know or that an operator should hear. */
  notes: string[];
}

function words(key: string): string[] {
  // RabbitMQ splits on dots; an empty key has no words at all (so `#` matches it, `*` does not).
  return key === '' ? [] : key.split('.');
}

/** RabbitMQ's topic matching: `*` is exactly one word, `#` zero or more; words are separated by dots. */
export function topicMatches(bindingKey: string, routingKey: string): boolean {
  const p = words(bindingKey);
  const k = words(routingKey);
  // matches[i][j]: does p[i..] match k[j..]? Filled from the end; patterns are short.
  let next = new Array<boolean>(k.length + 1).fill(false);
  next[k.length] = true;
  for (let i = p.length - 1; i >= 0; i--) {
    const row = new Array<boolean>(k.length + 1).fill(false);
    for (let j = k.length; j >= 0; j--) {
      if (p[i] === '#') row[j] = next[j]! || (j < k.length && row[j + 1]!);
      else row[j] = j < k.length && (p[i] === '*' || p[i] === k[j]) && next[j + 1]!;
    }
    next = row;
  }
  return next[0]!;
}

function bindingMatches(type: string, binding: BindingInput, routingKey: string): boolean {
  switch (type) {
    case 'fanout':
      return true;
    case 'direct':
      return binding.routingKey === routingKey;
    case 'topic':
      return topicMatches(binding.routingKey, routingKey);
    default:
      return false;
  }
}

/** Where a message published to `exchange` in `vhost` with `routingKey` ends up; null if there is no such exchange. */
export function routeMessage(topology: Topology, vhost: string, exchange: string, routingKey: string): RouteResult | null {
  const { index } = topology;
  const first = index.exchange(vhost, exchange);
  if (!first && exchange !== '') return null;
  const result: RouteResult = { vhost, exchange, routingKey, queues: [], matched: [], exchanges: [], notes: [] };
  const reached = new Set<string>();
  const deliver = (name: string, through: string[], bindingKey: string | null) => {
    if (reached.has(name)) return;
    reached.add(name);
    result.queues.push({ vhost, name, through, bindingKey });
  };
  if (first?.internal) result.notes.push(`${exchange} is internal: the broker refuses publishing to it directly; this is where messages from the exchanges bound to it go`);

  const visited = new Set<string>();
  /** Routes through one exchange; returns whether it routed the message anywhere (the broker's test for alternates). */
  const route = (name: string, through: string[]): boolean => {
    if (visited.has(name)) return false;
    visited.add(name);
    result.exchanges.push(name);
    const path = [...through, name];
    if (name === '') {
      // The default exchange: every queue is bound to it under its own name.
      if (!index.queue(vhost, routingKey)) return false;
      deliver(routingKey, path, routingKey);
      return true;
    }
    const e = index.exchange(vhost, name);
    if (!e) {
      result.notes.push(`exchange ${name} does not exist: what is sent to it is dropped`);
      return false;
    }
    if (!['direct', 'fanout', 'topic'].includes(e.type)) {
      result.notes.push(
        e.type === 'headers'
          ? `${name} is a headers exchange: it routes on message headers, not on the routing key, so its queues are not computed here`
          : `${name} is of type ${e.type}, whose routing is not computed here`,
      );
      return false;
    }
    // As the broker does: an exchange has routed the message when any binding matched, even
    // one to an exchange that then routes it nowhere; only otherwise is its alternate used.
    let matched = false;
    for (const b of index.bindingsFrom(vhost, name)) {
      if (!bindingMatches(e.type, b, routingKey)) continue;
      matched = true;
      result.matched.push(b);
      if (b.destinationType === 'queue') deliver(b.destination, path, e.type === 'fanout' ? null : b.routingKey);
      else route(b.destination, path);
    }
    const alternate = e.arguments['alternate-exchange'];
    if (!matched && typeof alternate === 'string') {
      result.notes.push(`nothing matched on ${name}: it goes to its alternate exchange ${alternate || '(AMQP default)'}`);
      return route(alternate, path);
    }
    return matched;
  };
  route(exchange, []);
  if (result.queues.length === 0)
    result.notes.push('no queue: the broker drops this message (or returns it to a publisher that set mandatory, as oslo.messaging\'s RPC calls do)');
  return result;
}
