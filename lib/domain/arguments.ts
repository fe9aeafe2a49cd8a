// Queue arguments in an operator's terms.
import { formatDuration } from './format';

type Describe = (value: unknown) => string;

const describers: Record<string, Describe> = {
  'x-expires': (v) => (typeof v === 'number' ? `expires after ${formatDuration(v)} unused` : 'expires after a time unused'),
  'x-message-ttl': (v) => (typeof v === 'number' ? `messages expire after ${formatDuration(v)}` : 'messages expire'),
  'x-queue-type': (v) => `${String(v)} queue`,
  'x-max-age': (v) => `stream keeps messages for ${String(v)}`,
  'x-max-length': (v) => `holds at most ${String(v)} messages`,
  'x-max-length-bytes': (v) => `holds at most ${String(v)} bytes`,
  'x-overflow': (v) => `when full: ${String(v)}`,
  'x-delivery-limit': (v) => `a message is dropped or dead-lettered after ${String(v)} redeliveries`,
  'x-dead-letter-exchange': (v) => `rejected or expired messages go to exchange "${String(v)}"`,
  'x-dead-letter-routing-key': (v) => `dead-lettered with routing key "${String(v)}"`,
  'x-ha-policy': (v) => `classic mirroring: ${String(v)} (an argument ignored since RabbitMQ 3.0: mirroring came from policies, gone in 4.0)`,
  'x-queue-mode': (v) => (v === 'lazy' ? 'lazy: messages kept on disk' : `mode ${String(v)}`),
  'x-single-active-consumer': (v) => (v ? 'one consumer at a time' : 'all consumers active'),
  'x-max-in-memory-length': (v) => `at most ${String(v)} messages in memory`,
  'x-max-in-memory-bytes': (v) => `at most ${String(v)} bytes in memory`,
  'x-max-priority': (v) => `priorities 0–${String(v)}`,
};

export function describeArgument(key: string, value: unknown): string {
  const describe = describers[key];
  return describe ? describe(value) : JSON.stringify(value) ?? String(value);
}
