import 'server-only';
// What each API endpoint takes in its query, checked in one place: every parameter listed here
// is applied by the endpoint, and any other is refused with the list of those it takes.
import { z } from 'zod';
import {
  EXCHANGE_GROUPS,
  HISTORY_RANGE_NAMES,
  HISTORY_RANGES,
  type HistoryRange,
  isOneOf,
  JOURNAL_KINDS,
  type JournalKind,
  QUEUE_KINDS,
  QUEUE_SORT_KEYS,
  SERIES_SCOPES,
  SERVICE_STATUSES,
  SORT_ORDERS,
} from '@/lib/domain/vocabulary';
import { ApiFailure } from './errors';

const optionalText = z.string().max(1024).optional().transform((v) => (v === '' ? undefined : v));

/** An endpoint that takes no query at all. */
export const noQuery = z.object({}).strict();

export const queueListQuery = z
  .object({
    kind: z.enum(QUEUE_KINDS).optional(),
    component: optionalText,
    host: optionalText,
    vhost: optionalText,
    q: optionalText,
    sort: z.enum(QUEUE_SORT_KEYS).default('name'),
    order: z.enum(SORT_ORDERS).default('asc'),
    page: z.coerce.number().int().min(1).default(1),
    pageSize: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict();

/** `q` matches an exchange's name, type, vhost or component, as the exchanges page does. */
export const exchangeListQuery = z
  .object({
    group: z.enum(EXCHANGE_GROUPS).optional(),
    vhost: optionalText,
    q: optionalText,
  })
  .strict();

export const processListQuery = z
  .object({
    q: optionalText,
    vhost: optionalText,
    limit: z.coerce.number().int().min(0).max(100_000).default(500),
  })
  .strict();

export const serviceListQuery = z
  .object({
    component: optionalText,
    topic: optionalText,
    vhost: optionalText,
    q: optionalText,
    status: z.enum([...SERVICE_STATUSES, 'trouble']).optional(),
    limitPerGroup: z.coerce.number().int().min(0).max(100_000).default(100),
  })
  .strict();

/** `limit` for summaries (the header, the overview); `vhost`, `queue` (in `vhost` when given) or `process` to narrow them. */
export const findingsQuery = z
  .object({
    limit: z.coerce.number().int().min(0).max(10_000).optional(),
    vhost: optionalText,
    queue: optionalText,
    process: optionalText,
  })
  .strict();

/** A routing key is an AMQP short string: at most 255 bytes; empty is a key too. */
export const routeQuery = z
  .object({
    key: z
      .string({ error: 'key is required (it may be empty: key=)' })
      .refine((k) => Buffer.byteLength(k) <= 255, 'a routing key is at most 255 bytes'),
  })
  .strict();

/** The flow picture of one topic: which groups to show one by one (`expand=server:healthy,fanout:healthy`). */
export const flowQuery = z
  .object({
    topic: z.string({ error: 'topic is required' }).min(1).max(255),
    vhost: optionalText,
    expand: z
      .string()
      .max(1024)
      .optional()
      .transform((v) => new Set((v ?? '').split(',').filter(Boolean))),
  })
  .strict();

export const clustersQuery = z.object({ include: z.enum(['health']).optional() }).strict();

const rangeFields = {
  range: z.enum(HISTORY_RANGE_NAMES).optional(),
  from: z.coerce.number().int().min(0).optional(),
  to: z.coerce.number().int().min(0).optional(),
};

/** `range` back from now, or `from` and `to`; without either, the last hour. */
export function timeRange(q: { range?: HistoryRange; from?: number; to?: number }, now: number): { from: number; to: number } {
  if (q.range !== undefined && (q.from !== undefined || q.to !== undefined)) throw new ApiFailure('bad-parameters', 'give either range or from/to, not both');
  const to = q.to ?? now;
  const from = q.from ?? to - HISTORY_RANGES[q.range ?? '1h'];
  if (from >= to) throw new ApiFailure('bad-parameters', 'from must be before to');
  if (to - from > HISTORY_RANGES['14d'] * 2) throw new ApiFailure('bad-parameters', 'a range is at most 28 days');
  return { from, to };
}

/** One series: `scope` and `key` (a queue's key is its vhost, URL-encoded, a slash, its name; global's is empty). */
export const historyQuery = z
  .object({
    scope: z.enum(SERIES_SCOPES, { error: `scope is one of ${SERIES_SCOPES.join(', ')}` }),
    key: z.string().max(1024).default(''),
    ...rangeFields,
  })
  .strict();

/** The journal: a range and what to narrow it to; `kind` takes several, comma separated. */
export const journalQuery = z
  .object({
    host: optionalText,
    binary: optionalText,
    process: optionalText,
    vhost: optionalText,
    queue: optionalText,
    kind: z
      .string()
      .max(1024)
      .optional()
      .transform((v, ctx) => {
        const kinds = (v ?? '').split(',').filter(Boolean);
        const bad = kinds.filter((k) => !isOneOf(JOURNAL_KINDS, k));
        if (bad.length) ctx.addIssue({ code: 'custom', message: `unknown kind ${bad.join(', ')}: one of ${JOURNAL_KINDS.join(', ')}` });
        return kinds as JournalKind[];
      }),
    ...rangeFields,
  })
  .strict();

/** A capture carries the journal and history of `range` back from when it is taken (default: the last hour). */
export const captureQuery = z.object({ range: rangeFields.range.default('1h') }).strict();

export type QuerySchema = z.ZodObject;

function issues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`).join('; ');
}

/** Checks a value against a schema; ApiFailure 'bad-parameters' says what is wrong with `what`. */
export function parse<S extends z.ZodType>(schema: S, input: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new ApiFailure('bad-parameters', `invalid ${what}: ${issues(result.error)}`);
  return result.data;
}

/** A request's query checked against its endpoint's schema; a parameter it does not take is named, with those it does. */
export function parseQuery<S extends QuerySchema>(schema: S, url: string): z.infer<S> {
  const params = new URL(url).searchParams;
  const known = Object.keys(schema.shape);
  const unknown = [...new Set(params.keys())].filter((k) => !known.includes(k));
  if (unknown.length > 0) {
    const takes = known.length ? `it takes ${known.join(', ')}` : 'it takes none';
    throw new ApiFailure('bad-parameters', `unknown query parameter${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `"${k}"`).join(', ')}: ${takes}`);
  }
  const repeated = known.filter((k) => params.getAll(k).length > 1);
  if (repeated.length > 0) throw new ApiFailure('bad-parameters', `query parameter${repeated.length > 1 ? 's' : ''} given more than once: ${repeated.join(', ')}`);
  return parse(schema, Object.fromEntries(params), 'query');
}
