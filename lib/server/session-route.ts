import 'server-only';
// Signing in and out (AUTH_MODE=login): the operator's RabbitMQ user and password are checked
// against the broker's management API (GET /api/whoami); on success the browser gets a random
// session id in an httpOnly, SameSite=strict, expiring cookie, and the password stays here.
import type { NextResponse } from 'next/server';
import { z } from 'zod';
import type { ApiError, SessionResponse } from '@/lib/api/schemas';
import { BrokerError } from '@/lib/broker/errors';
import { ManagementClient } from '@/lib/broker/management-client';
import { checkSameOrigin, failure, json, logAction, logValue, readJsonBody } from './api';
import { claimedAddress, SESSION_COOKIE, sessionIdOf } from './auth';
import { root } from './root';
import { ApiFailure, type ErrorKind } from './errors';
import { parse } from './params';

/** Checking a password should not take the 60 s a big listing may. */
const SIGN_IN_TIMEOUT_MS = 15_000;

const signInBody = z
  .object({
    username: z.string().min(1, 'the user name is empty').max(255),
    password: z.string().min(1, 'the password is empty').max(1024),
  })
  .strict();

function refuse(kind: ErrorKind, error: string, headers?: Record<string, string>): NextResponse<ApiError> {
  return failure(kind, error, null, { headers });
}

/** GET: who the dashboard takes this browser for. */
export function currentSession(req: Request): NextResponse<SessionResponse | ApiError> {
  const { config, gate } = root();
  const { auth } = config;
  const who = gate.authenticateRequest(req);
  if (!who.ok && auth.mode !== 'login') return refuse(who.kind, who.error);
  const session = who.ok ? who.principal.session : undefined;
  return json<SessionResponse>({
    mode: auth.mode,
    user: who.ok ? who.principal.user : null,
    tags: session?.tags ?? [],
    expiresAt: session?.expiresAt ?? null,
  });
}

/** POST: sign in with the broker's credentials. */
export async function signIn(req: Request): Promise<NextResponse<SessionResponse | ApiError>> {
  const { config, gate } = root();
  const { auth } = config;
  if (auth.mode !== 'login') return refuse('not-found', `signing in is off here (AUTH_MODE=${auth.mode})`);
  const address = claimedAddress(req.headers);
  let credentials: z.infer<typeof signInBody>;
  try {
    checkSameOrigin(req);
    credentials = parse(signInBody, await readJsonBody(req), 'sign-in');
  } catch (err) {
    if (err instanceof ApiFailure) return refuse(err.kind, err.message);
    throw err;
  }
  const who = `${logValue(credentials.username)} from ${address}`;
  const throttleKey = `${address}\u0000${credentials.username}`;
  const waitMs = gate.throttle.retryAfterMs(throttleKey);
  if (waitMs > 0) {
    logAction(`[sign-in] ${who} → refused 429: too many failed attempts`);
    const seconds = Math.ceil(waitMs / 1000);
    return refuse('too-many-attempts', `too many failed attempts: try again in ${seconds} s`, { 'Retry-After': String(seconds) });
  }

  let tags: string[];
  try {
    // Operators sign in where the first cluster's broker knows them; each cluster is then read as them.
    const [where] = config.clusters;
    const broker = new ManagementClient({ baseUrl: where!.managementUrl, ...credentials, timeoutMs: Math.min(where!.requestTimeoutMs, SIGN_IN_TIMEOUT_MS), tls: where!.tls });
    tags = (await broker.whoami()).tags;
  } catch (err) {
    if (err instanceof BrokerError && (err.kind === 'unauthorized' || err.kind === 'forbidden')) {
      gate.throttle.failed(throttleKey);
      // The broker checks the password first: "Not management user" means it was right.
      const notManagement = err.kind === 'forbidden';
      logAction(`[sign-in] ${who} → refused 401: ${notManagement ? 'not a management user' : 'wrong user name or password'}`);
      return refuse(
        'not-signed-in',
        notManagement
          ? 'the broker knows this user but does not let it use the management API (it needs the management or monitoring tag)'
          : 'the broker refused this user name and password',
      );
    }
    const message = err instanceof BrokerError ? err.message : String(err);
    logAction(`[sign-in] ${who} → failed 502: ${message}`);
    return refuse('broker-failed', `could not check the password with the broker: ${message}`);
  }

  gate.throttle.succeeded(throttleKey);
  const session = gate.sessions!.create(credentials, tags);
  logAction(`[sign-in] ${who} → signed in (tags: ${tags.join(',') || 'none'})`);
  const res = json<SessionResponse>({ mode: 'login', user: credentials.username, tags, expiresAt: session.expiresAt });
  res.cookies.set(SESSION_COOKIE, session.id, {
    httpOnly: true,
    sameSite: 'strict',
    secure: isHttps(req),
    path: '/',
    maxAge: Math.floor(auth.sessionMaxMs / 1000),
  });
  return res;
}

/** DELETE: sign out; the session ends on the server, not only in the browser. */
export function signOut(req: Request): NextResponse<SessionResponse | ApiError> {
  const { config, gate } = root();
  const { auth } = config;
  if (auth.mode !== 'login') return refuse('not-found', `signing out is off here (AUTH_MODE=${auth.mode})`);
  try {
    checkSameOrigin(req);
  } catch (err) {
    if (err instanceof ApiFailure) return refuse(err.kind, err.message);
    throw err;
  }
  const who = gate.authenticateRequest(req);
  gate.sessions!.end(sessionIdOf(req));
  if (who.ok) logAction(`[sign-out] ${logValue(who.principal.user ?? '')} from ${who.principal.address}`);
  const res = json<SessionResponse>({ mode: 'login', user: null, tags: [], expiresAt: null });
  res.cookies.set(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'strict', secure: isHttps(req), path: '/', maxAge: 0 });
  return res;
}

/** Behind a TLS-terminating proxy the request arrives as http; the proxy says https. */
function isHttps(req: Request): boolean {
  return new URL(req.url).protocol === 'https:' || req.headers.get('x-forwarded-proto')?.split(',')[0]?.trim() === 'https';
}
