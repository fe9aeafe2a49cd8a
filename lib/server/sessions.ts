import 'server-only';
// Sign-in sessions (AUTH_MODE=login), held in this server's memory only: the browser gets a
// random id in an httpOnly cookie, never the credentials. A session ends when it has been idle
// too long, when it reaches its maximum age, or when the operator signs out. A restart ends all.
import { randomBytes } from 'node:crypto';

export interface BrokerCredentials {
  username: string;
  password: string;
}

export interface Session {
  id: string;
  credentials: BrokerCredentials;
  /** The broker's tags of the user at sign-in. */
  tags: string[];
  createdAt: number;
  lastSeenAt: number;
  /** When it ends if it is used all along. */
  expiresAt: number;
}

export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly now: () => number;

  constructor(private readonly options: { idleMs: number; maxMs: number; now?: () => number }) {
    this.now = options.now ?? Date.now;
  }

  create(credentials: BrokerCredentials, tags: string[] = []): Session {
    this.sweep();
    const now = this.now();
    const session: Session = {
      id: randomBytes(32).toString('base64url'),
      credentials,
      tags,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: now + this.options.maxMs,
    };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The live session with this id, marked as used now; null when unknown or over. */
  use(id: string | undefined): Session | null {
    if (!id) return null;
    const session = this.sessions.get(id);
    if (!session) return null;
    const now = this.now();
    if (now >= session.expiresAt || now - session.lastSeenAt >= this.options.idleMs) {
      this.sessions.delete(id);
      return null;
    }
    session.lastSeenAt = now;
    return session;
  }

  end(id: string | undefined): void {
    if (id) this.sessions.delete(id);
  }

  get size(): number {
    return this.sessions.size;
  }

  private sweep(): void {
    const now = this.now();
    for (const [id, s] of this.sessions) {
      if (now >= s.expiresAt || now - s.lastSeenAt >= this.options.idleMs) this.sessions.delete(id);
    }
  }
}

/**
 * Failed sign-ins per address and user name: after `limit` failures within `windowMs`, further
 * attempts are refused until the window has passed, so the dashboard cannot be used to guess
 * broker passwords quickly.
 */
export class SignInThrottle {
  private readonly failures = new Map<string, { count: number; since: number }>();
  private readonly now: () => number;

  constructor(private readonly options: { limit: number; windowMs: number; now?: () => number }) {
    this.now = options.now ?? Date.now;
  }

  /** Milliseconds until this key may try again; 0 when it may now. */
  retryAfterMs(key: string): number {
    const entry = this.failures.get(key);
    if (!entry) return 0;
    const left = entry.since + this.options.windowMs - this.now();
    if (left <= 0) {
      this.failures.delete(key);
      return 0;
    }
    return entry.count >= this.options.limit ? left : 0;
  }

  failed(key: string): void {
    const now = this.now();
    const entry = this.failures.get(key);
    if (!entry || now - entry.since >= this.options.windowMs) this.failures.set(key, { count: 1, since: now });
    else entry.count += 1;
    if (this.failures.size > 10_000) this.failures.clear();
  }

  succeeded(key: string): void {
    this.failures.delete(key);
  }
}
