// Who the dashboard takes the browser for; POST signs in, DELETE signs out (AUTH_MODE=login).
import { currentSession, signIn, signOut } from '@/lib/server/session-route';

export function GET(req: Request) {
  return currentSession(req);
}

export function POST(req: Request) {
  return signIn(req);
}

export function DELETE(req: Request) {
  return signOut(req);
}
