// Runs once when the server starts: a bad configuration stops it here, with a clear message.
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { getConfig } = await import('@/lib/server/config');
    const config = getConfig();
    console.log(`[openstack-rabbit-lens] reading ${config.managementUrl} as "${config.username}", refreshing every ${config.refreshIntervalMs} ms`);
  }
}
