// A TCP proxy between the dashboard and the management API that a test can make fail:
// refuse connections, answer late, cut an answer in the middle, or answer garbage.
import net from 'node:net';

export type Fault =
  | { kind: 'pass' }
  /** Accept, then close at once: the client sees a reset connection. */
  | { kind: 'refuse' }
  /** Forward, after holding each connection this long. */
  | { kind: 'delay'; ms: number }
  /** Forward, but close the connection after this many bytes of the answer. */
  | { kind: 'cut'; afterBytes: number }
  /** Answer every request with this status and body, never asking the broker. */
  | { kind: 'answer'; status: number; body: string; contentType?: string };

export interface FaultProxy {
  /** The management URL to give the dashboard. */
  url: string;
  /** From the next connection on; connections kept alive from before are closed. */
  set(fault: Fault): Promise<void>;
  /** Connections accepted so far. */
  readonly accepted: number;
  close(): Promise<void>;
}

const REASONS: Record<number, string> = { 200: 'OK', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 500: 'Internal Server Error', 502: 'Bad Gateway', 503: 'Service Unavailable' };

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  let fault: Fault = { kind: 'pass' };
  let accepted = 0;
  const sockets = new Set<net.Socket>();
  const track = (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
  };

  const forward = (client: net.Socket, cutAfter: number | null) => {
    const broker = net.connect(Number(upstream.port || 80), upstream.hostname);
    track(broker);
    let sent = 0;
    client.pipe(broker);
    broker.on('data', (chunk: Buffer) => {
      if (cutAfter !== null && sent + chunk.length > cutAfter) {
        client.write(chunk.subarray(0, Math.max(0, cutAfter - sent)));
        client.destroy();
        broker.destroy();
        return;
      }
      sent += chunk.length;
      client.write(chunk);
    });
    broker.on('end', () => client.end());
    broker.on('error', () => client.destroy());
    client.on('error', () => broker.destroy());
    client.on('close', () => broker.destroy());
  };

  const server = net.createServer((client) => {
    accepted++;
    track(client);
    const f = fault;
    switch (f.kind) {
      case 'pass':
        return forward(client, null);
      case 'refuse':
        return void client.resetAndDestroy();
      case 'delay': {
        client.pause();
        const t = setTimeout(() => {
          client.resume();
          forward(client, null);
        }, f.ms);
        client.on('close', () => clearTimeout(t));
        return;
      }
      case 'cut':
        return forward(client, f.afterBytes);
      case 'answer': {
        // Read the request head, then answer and close (keep-alive clients open a new connection next time).
        let head = '';
        client.on('data', (chunk: Buffer) => {
          head += chunk.toString('latin1');
          if (!head.includes('\r\n\r\n')) return;
          const body = Buffer.from(f.body, 'utf8');
          client.end(
            `HTTP/1.1 ${f.status} ${REASONS[f.status] ?? 'Status'}\r\nContent-Type: ${f.contentType ?? 'application/json'}\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${f.body}`,
          );
        });
        return;
      }
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    set: async (f) => {
      fault = f;
      // Connections kept alive from before would carry on unharmed: drop them, and give the
      // client a moment to see them closed before it picks one for its next request.
      for (const s of sockets) s.destroy();
      await new Promise((r) => setTimeout(r, 100));
    },
    get accepted() {
      return accepted;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
