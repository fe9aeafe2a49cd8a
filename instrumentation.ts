// Runs once when the server starts: a bad configuration stops it here, with a clear message.
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { getConfig } = await import('@/lib/server/config');
    const config = getConfig();
    console.log(`[openstack-rabbit-lens] reading ${config.managementUrl} as "${config.username}", refreshing every ${config.refreshIntervalMs} ms`);
    // It has no login of its own yet: whoever reaches it sees what its broker user sees.
    console.log('[openstack-rabbit-lens] no authentication: listen on 127.0.0.1 only (npm start and npm run demo do); expose it only behind an authenticating proxy');
  }
}
