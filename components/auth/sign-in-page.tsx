'use client';
import { useSearchParams } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { Link } from '@/components/ui/link';
import { useSession, useSignIn } from '@/lib/client/hooks';
import { afterSignIn } from '@/lib/client/links';

const INPUT =
  'w-full rounded border border-neutral-300 bg-white px-2 py-1.5 text-[13px] outline-none focus:border-accent-500 focus:ring-2 focus:ring-accent-100';

export function SignInPage() {
  const next = afterSignIn(useSearchParams().get('next'));
  const session = useSession();
  const signIn = useSignIn();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');

  const submit = (e: FormEvent) => {
    e.preventDefault();
    signIn.mutate(
      { username, password },
      // A full load: nothing read as someone else stays in the browser's caches.
      { onSuccess: () => window.location.assign(next) },
    );
  };

  const mode = session.data?.mode;
  return (
    <div className="mx-auto mt-16 max-w-sm rounded-md border border-neutral-200 bg-white p-6 shadow-xs">
      <h1 className="text-lg font-semibold text-neutral-900">Sign in</h1>
      {mode === 'none' || mode === 'proxy' ? (
        <p className="mt-2 text-[13px] text-neutral-700">
          {mode === 'none'
            ? 'This dashboard has no sign-in of its own (AUTH_MODE=none): it reads the broker as its configured user and listens on this machine only.'
            : 'This dashboard is signed in to through its authenticating proxy (AUTH_MODE=proxy).'}{' '}
          <Link href="/" className="text-accent-600 hover:underline">
            Go to the overview
          </Link>
        </p>
      ) : session.data?.user ? (
        <p className="mt-2 text-[13px] text-neutral-700">
          Signed in as <span className="font-medium">{session.data.user}</span>.{' '}
          <Link href={next} className="text-accent-600 hover:underline">
            Continue
          </Link>
        </p>
      ) : (
        <form onSubmit={submit} className="mt-3 flex flex-col gap-3" aria-label="sign in">
          <p className="text-[13px] text-neutral-600">
            With your RabbitMQ user: the dashboard reads the broker as you, so you see what the broker lets you see.
          </p>
          <label className="flex flex-col gap-1 text-xs font-medium text-neutral-700">
            User name
            <input className={INPUT} name="username" autoComplete="username" required autoFocus value={username} onChange={(e) => setUsername(e.target.value)} />
          </label>
          <label className="flex flex-col gap-1 text-xs font-medium text-neutral-700">
            Password
            <input className={INPUT} name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
          </label>
          {signIn.error && (
            <p role="alert" className="rounded border border-red-200 bg-red-50 px-2 py-1.5 text-[13px] text-red-800">
              {signIn.error.message}
            </p>
          )}
          <button
            type="submit"
            disabled={signIn.isPending || signIn.isSuccess}
            className="rounded bg-accent-600 px-3 py-1.5 text-[13px] font-semibold text-white hover:bg-accent-700 disabled:opacity-60"
          >
            {signIn.isPending || signIn.isSuccess ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
      )}
      {session.error && !session.data && (
        <p role="alert" className="mt-3 text-[13px] text-red-800">
          {session.error.message}
        </p>
      )}
    </div>
  );
}
