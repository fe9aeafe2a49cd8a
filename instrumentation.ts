// Runs once when the server starts: a bad configuration stops it here, with a clear message.
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { getConfig } = await import('@/lib/server/config');
    const log = (line: string) => console.log(`[openstack-rabbit-lens] ${line}`);
    let config: ReturnType<typeof getConfig>;
    try {
      config = getConfig();
    } catch (err) {
      // Next would log a failed hook and serve errors; an operator needs it to stop and say why.
      console.error(`[openstack-rabbit-lens] ${(err as Error).message}`);
      process.exit(2);
    }
    switch (config.auth.mode) {
      case 'none':
        log(`reading ${config.managementUrl} as "${config.username}", refreshing every ${config.refreshIntervalMs} ms`);
        log('no authentication (AUTH_MODE=none): whoever reaches it sees what that user sees, so it listens on 127.0.0.1 only');
        break;
      case 'login':
        log(`reading ${config.managementUrl} as each signed-in operator, refreshing every ${config.refreshIntervalMs} ms`);
        log(`AUTH_MODE=login: operators sign in with their RabbitMQ user; sessions end after ${config.auth.sessionIdleMs / 60_000} min idle, ${config.auth.sessionMaxMs / 60_000} min at most`);
        break;
      case 'proxy':
        log(`reading ${config.managementUrl} as "${config.username}", refreshing every ${config.refreshIntervalMs} ms`);
        log(`AUTH_MODE=proxy: the user comes from the ${config.auth.userHeader} header, believed only from ${config.auth.trustedProxies.join(', ')}`);
        break;
    }
  }
}
