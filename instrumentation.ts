// Runs once when the server starts: a bad configuration stops it here, with a clear message.
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { root } = await import('@/lib/server/root');
    const log = (line: string) => console.log(`[openstack-rabbit-lens] ${line}`);
    let server: ReturnType<typeof root>;
    try {
      server = root();
    } catch (err) {
      // Next would log a failed hook and serve errors; an operator needs it to stop and say why.
      console.error(`[openstack-rabbit-lens] ${(err as Error).message}`);
      process.exit(2);
    }
    const { config } = server;
    const clusters = config.clusters
      .map((c) => (c.capturePath ? `${c.id} (the capture ${c.capturePath}, read-only)` : `${c.id} (${c.managementUrl}, every ${c.refreshIntervalMs} ms)`))
      .join(', ');
    const users = config.clusters.filter((c) => !c.capturePath).map((c) => `${c.id} as "${c.username}"`).join(', ') || 'no broker';
    // Read every cluster from now on, viewers or not (WATCH_MODE=on-demand: only while someone looks).
    const watched = server.clusters.watchAll();
    if (watched.length > 0) log(`reading ${watched.join(', ')} from now on, whether anyone looks or not`);
    switch (config.auth.mode) {
      case 'none':
        log(`watching ${clusters} from ${config.clustersFrom}, reading ${users}`);
        log('no authentication (AUTH_MODE=none): whoever reaches it sees what those users see, so it listens on 127.0.0.1 only');
        break;
      case 'login':
        log(`watching ${clusters} from ${config.clustersFrom}, each read as the signed-in operator`);
        log(`AUTH_MODE=login: operators sign in with their RabbitMQ user (checked by ${config.clusters[0]!.id}); sessions end after ${config.auth.sessionIdleMs / 60_000} min idle, ${config.auth.sessionMaxMs / 60_000} min at most`);
        break;
      case 'proxy':
        log(`watching ${clusters} from ${config.clustersFrom}, reading ${users}`);
        log(`AUTH_MODE=proxy: the user comes from the ${config.auth.userHeader} header, believed only from ${config.auth.trustedProxies.join(', ')}`);
        break;
    }
  }
}
