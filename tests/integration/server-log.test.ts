// The built server (server.mjs) when whoever reads its log goes away: a closed pipe must cost it
// its log, never its answers. Seen on an orphaned dashboard whose parent had exited: every write
// failed with EPIPE, Next logged the uncaught error, which failed again, and the server stopped
// answering at 90 % CPU.
import { expect, it } from 'vitest';
import { startDashboard } from '../helpers/dashboard-server';

it('keeps answering after its log reader went away, while it logs a refresh failing every second', async () => {
  // Nothing listens on port 1: every refresh fails and is logged.
  const dashboard = await startDashboard({ RABBITMQ_MANAGEMENT_URL: 'http://127.0.0.1:1', REFRESH_INTERVAL_MS: '1000' });
  try {
    await new Promise((r) => setTimeout(r, 2500));
    expect(dashboard.output()).toMatch(/refresh failed/);
    dashboard.closeLog();
    for (let i = 0; i < 8; i++) {
      await new Promise((r) => setTimeout(r, 500));
      const res = await fetch(`${dashboard.url}/api/v1/clusters`, { signal: AbortSignal.timeout(10_000) });
      expect(res.status).toBe(200);
    }
  } finally {
    await dashboard.stop();
  }
}, 60_000);
