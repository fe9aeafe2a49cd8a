// The journal in words, as the timeline and the charts show it. Pure.
import type { JournalEntry, JournalGroup } from '@/lib/api/schemas';
import { plural } from '@/lib/domain/format';

/** What one entry says, without its time. */
export function describeEntry(e: JournalEntry): string {
  // "nova-compute (30901) on compute02": a process id is binary:pid@peer.
  const pid = e.process ? /:(\d+)@/.exec(e.process)?.[1] : undefined;
  const who = e.binary ? `${e.binary}${pid ? ` (${pid})` : ''}${e.host ? ` on ${e.host}` : ''}` : (e.process ?? 'a process we could not name');
  switch (e.kind) {
    case 'queue-declared':
      return `queue ${e.queue} declared${e.after ? ` (${e.after})` : ''}`;
    case 'queue-deleted':
      return `queue ${e.queue} deleted${e.before ? ` (${e.before})` : ''}`;
    case 'consumer-gained':
      return `${e.queue} gained a consumer: ${who}`;
    case 'consumer-lost':
      return `${e.queue} lost its consumer ${who}`;
    case 'connection-opened':
      return `connection of ${who} opened${e.after ? ` ${e.after}` : ''}`;
    case 'connection-closed':
      return `connection of ${who} closed${e.before ? ` (${e.before})` : ''}`;
    case 'process-appeared':
      return `${who} appeared`;
    case 'process-gone':
      return `${who} went away`;
    case 'node-down':
      return `node ${subjectName(e)} went down`;
    case 'node-up':
      return `node ${subjectName(e)} came back`;
    case 'node-alarm':
      return `node ${subjectName(e)} raised a ${e.after ?? ''}`;
    case 'node-alarm-cleared':
      return `node ${subjectName(e)} cleared its ${e.before ?? 'alarm'}`;
    case 'policy-changed':
      return e.after === null ? `policy ${subjectName(e)} removed` : e.before === null ? `policy ${subjectName(e)} set: ${e.after}` : `policy ${subjectName(e)} changed: ${e.before} → ${e.after}`;
    case 'finding-raised':
      return `raised: ${e.after ?? subjectName(e)}`;
    case 'finding-resolved':
      return `resolved: ${e.before ?? subjectName(e)}`;
  }
}

function subjectName(e: JournalEntry): string {
  const s = e.subject;
  switch (s.type) {
    case 'queue':
    case 'node':
    case 'policy':
      return s.name;
    case 'connection':
      return s.name;
    case 'process':
      return s.id;
    case 'finding':
      return s.rule;
  }
}

const GROUP_VERBS: Record<JournalGroup['kind'], [string, string, string]> = {
  // [what is counted (one), (many), what happened to them]
  reconnected: ['process', 'processes', 'reconnected'],
  'queue-declared': ['queue', 'queues', 'declared'],
  'queue-deleted': ['queue', 'queues', 'deleted'],
  'consumer-gained': ['consumer', 'consumers', 'gained'],
  'consumer-lost': ['consumer', 'consumers', 'lost'],
  'connection-opened': ['connection', 'connections', 'opened'],
  'connection-closed': ['connection', 'connections', 'closed'],
  'process-appeared': ['process', 'processes', 'appeared'],
  'process-gone': ['process', 'processes', 'went away'],
  'node-down': ['node', 'nodes', 'went down'],
  'node-up': ['node', 'nodes', 'came back'],
  'node-alarm': ['node alarm', 'node alarms', 'raised'],
  'node-alarm-cleared': ['node alarm', 'node alarms', 'cleared'],
  'policy-changed': ['policy', 'policies', 'changed'],
  'finding-raised': ['finding', 'findings', 'raised'],
  'finding-resolved': ['finding', 'findings', 'resolved'],
};

/**
 * One line for a group: its only entry as such, or what happened to how many
 * ("1,000 nova-compute processes reconnected").
 */
export function describeGroup(g: JournalGroup): string {
  const only = g.entries[0];
  if (g.count === 1 && only && g.kind !== 'reconnected') return describeEntry(only);
  const [one, many, verb] = GROUP_VERBS[g.kind];
  const counted = plural(g.count, one, many);
  return `${g.binary && !['node-down', 'node-up', 'node-alarm', 'node-alarm-cleared', 'policy-changed'].includes(g.kind) ? `${g.binary}: ` : ''}${counted} ${verb}`;
}

/** How bad a kind of change is, for its colour: a loss, a return, or neither. */
export function toneOf(kind: JournalGroup['kind']): 'red' | 'green' | 'amber' | 'neutral' {
  switch (kind) {
    case 'consumer-lost':
    case 'process-gone':
    case 'node-down':
    case 'node-alarm':
    case 'finding-raised':
    case 'queue-deleted':
      return 'red';
    case 'consumer-gained':
    case 'process-appeared':
    case 'node-up':
    case 'node-alarm-cleared':
    case 'finding-resolved':
      return 'green';
    case 'reconnected':
    case 'connection-closed':
    case 'policy-changed':
      return 'amber';
    default:
      return 'neutral';
  }
}
