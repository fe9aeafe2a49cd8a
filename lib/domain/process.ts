// Who is behind a connection: oslo.messaging names its connections `<binary>:<pid>:<uuid4>`.
const OSLO_CONNECTION_NAME = /^(.+):(\d+):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/i;

export function parseOsloConnectionName(name: string | null): { binary: string; pid: number; uuid: string } | null {
  if (!name) return null;
  const m = OSLO_CONNECTION_NAME.exec(name);
  if (!m || !m[1] || !m[2] || !m[3]) return null;
  return { binary: m[1], pid: Number(m[2]), uuid: m[3] };
}

export function processId(binary: string, pid: number, peerHost: string): string {
  return `${binary}:${pid}@${peerHost}`;
}
