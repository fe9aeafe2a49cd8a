import 'server-only';
// Query and path parameters of the API, checked in one place.
import { z } from 'zod';
import { QUEUE_KINDS } from '@/lib/domain/topology';
import { SERVICE_STATUSES } from '@/lib/domain/services';
import { QUEUE_SORT_KEYS } from '@/lib/domain/views';

const optionalText = z.string().max(1024).optional().transform((v) => (v === '' ? undefined : v));

export const queueListQuery = z
  .object({
    kind: z.enum(QUEUE_KINDS).optional(),
    component: optionalText,
    host: optionalText,
    vhost: optionalText,
    q: optionalText,
    sort: z.enum(QUEUE_SORT_KEYS).default('name'),
    order: z.enum(['asc', 'desc']).default('asc'),
    page: z.coerce.number().int().min(1).default(1),
    pageSize: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict();

export const exchangeListQuery = z
  .object({
    group: z.enum(['component', 'reply', 'fanout', 'builtin', 'other']).optional(),
    vhost: optionalText,
    q: optionalText,
  })
  .strict();

export const processListQuery = z
  .object({
    q: optionalText,
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
