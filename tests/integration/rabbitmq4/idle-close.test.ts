// RabbitMQ 4's management API closes a keep-alive connection after 5 s idle (3.10's after 60 s).
// A request sent on it just as it closes fails with ECONNRESET: made to happen here every time by
// keeping the event loop busy across the moment the server closes, so that the client has not
// yet seen the close when it sends. Run against RabbitMQ 4 only (vitest.config.ts).
import axios from 'axios';
import { describe, expect, it } from 'vitest';
import { ManagementClient } from '@/lib/broker/management-client';
import { MANAGEMENT_URL } from '../../helpers/broker';

const auth = { username: process.env.RABBITMQ_USERNAME ?? 'guest', password: process.env.RABBITMQ_PASSWORD ?? 'guest' };
/** RabbitMQ 4.0's idle timeout for HTTP keep-alive connections, and a margin past it. */
const SERVER_IDLE_CLOSE_MS = 5000;
const PAST_IT_MS = 400;

/** Waits most of the idle time, then stays busy (no I/O handled) until the server has closed the connection. */
async function idleUntilTheServerCloses(lastAnswerAt: number): Promise<void> {
  await new Promise((r) => setTimeout(r, SERVER_IDLE_CLOSE_MS - 300 - (Date.now() - lastAnswerAt)));
  while (Date.now() - lastAnswerAt < SERVER_IDLE_CLOSE_MS + PAST_IT_MS) {
    // busy on purpose: the close arrives but is not read before the next request goes out
  }
}

describe('a connection the management API closed while idle', () => {
  it('fails a plain keep-alive client with ECONNRESET (what the dashboard must not show as a broker fault)', async () => {
    const http = axios.create({ baseURL: MANAGEMENT_URL, auth });
    await http.get('/api/overview', { params: { columns: 'node' } });
    await idleUntilTheServerCloses(Date.now());
    const err = await http.get('/api/overview', { params: { columns: 'node' } }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(axios.isAxiosError(err) ? err.code : err).toBe('ECONNRESET');
  });

  it('is read again once on a new connection by the dashboard, and answers', async () => {
    const client = new ManagementClient({ baseUrl: MANAGEMENT_URL, ...auth, timeoutMs: 10_000 });
    for (let round = 0; round < 2; round++) {
      await client.overview(); // a keep-alive connection, then left idle
      await idleUntilTheServerCloses(Date.now());
      const overview = await client.overview();
      expect(overview.rabbitmq_version).toMatch(/^4\./);
    }
    expect(client.resentAfterIdleClose).toBe(2);
  });
});
