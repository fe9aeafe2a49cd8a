// The dashboard's own server (`npm start`, `npm run dev`): Next's request handler behind a
// plain Node HTTP server, for two things `next start` cannot do:
//  - listen on 127.0.0.1 only unless authentication is configured (AUTH_MODE=login|proxy);
//  - tell the app which address each request really came from, which AUTH_MODE=proxy needs
//    to believe the user header only from the authenticating proxy (lib/server/auth.ts).
// Usage: node server.mjs [--dev] [-p PORT]   (PORT and HOST from the environment too)
import { createServer } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import next from 'next';

// Every refresh replaces most of what the server holds (about 130 MB live at 1000 hosts), and V8's
// own heuristics let the old space grow to up to four times what survived before collecting again
// (490 MB of RSS at 1000 hosts). A fixed growth keeps the heap near what is live at every scale, for
// a few more collections (docs/performance.md, "The server's memory"). `node
// --heap-growing-percent=N server.mjs` chooses another; 0 is V8's own.
if (!process.execArgv.some((a) => a.startsWith('--heap-growing-percent'))) setFlagsFromString('--heap-growing-percent=20');

// Whoever reads the log may go away (a closed pipe): the server keeps serving, unlogged. Without a
// listener the write's EPIPE is an uncaught error, which Next logs, which fails again: a busy loop
// that starves every request.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_DESTROYED') throw err;
  });
}

const args = process.argv.slice(2);
const dev = args.includes('--dev');
const portFlag = args.findIndex((a) => a === '-p' || a === '--port');
const port = Number(portFlag >= 0 ? args[portFlag + 1] : (process.env.PORT ?? 3000));
if (!Number.isInteger(port) || port < 1 || port > 65_535) {
  console.error(`[openstack-rabbit-lens] invalid port: ${portFlag >= 0 ? args[portFlag + 1] : process.env.PORT}`);
  process.exit(2);
}

const authenticated = process.env.AUTH_MODE === 'login' || process.env.AUTH_MODE === 'proxy';
const hostname = authenticated ? process.env.HOST || '0.0.0.0' : '127.0.0.1';
if (!authenticated && process.env.HOST && process.env.HOST !== '127.0.0.1')
  console.warn(`[openstack-rabbit-lens] HOST=${process.env.HOST} ignored: without AUTH_MODE=login or proxy it listens on 127.0.0.1 only`);

// The app believes the peer header only when this mark says this server wrote it.
globalThis[Symbol.for('openstack-rabbit-lens.server')] = true;
const PEER_HEADER = 'x-lens-peer';

const app = next({ dev, hostname, port });
await app.prepare();
const handle = app.getRequestHandler();

const server = createServer((req, res) => {
  // Replaces whatever the client sent under that name.
  req.headers[PEER_HEADER] = req.socket.remoteAddress ?? '';
  handle(req, res).catch((err) => {
    console.error('[openstack-rabbit-lens] request failed', err);
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
    res.end('internal error; see the server log');
  });
});
if (dev) server.on('upgrade', app.getUpgradeHandler());
server.on('error', (err) => {
  console.error(`[openstack-rabbit-lens] cannot listen on ${hostname}:${port}: ${err.message}`);
  process.exit(1);
});
server.listen(port, hostname, () => {
  const where = authenticated ? `AUTH_MODE=${process.env.AUTH_MODE}` : 'no authentication: reachable from this machine only';
  console.log(`[openstack-rabbit-lens] listening on http://${hostname}:${port} (${where})`);
});
for (const signal of ['SIGTERM', 'SIGINT']) process.once(signal, () => server.close(() => process.exit(0)).closeAllConnections());
