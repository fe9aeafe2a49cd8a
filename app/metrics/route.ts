// GET /metrics: Prometheus' view of every live cluster (lib/server/metrics.ts).
import { scrapeMetrics } from '@/lib/server/api';

export const GET = scrapeMetrics;
