'use client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { RefreshProvider } from '@/lib/client/refresh';

export function Providers({ children }: { children: ReactNode }) {
  const [client] = useState(
    () =>
      new QueryClient({
        defaultOptions: {
          queries: { staleTime: 2000, refetchOnWindowFocus: true, gcTime: 5 * 60_000 },
        },
      }),
  );
  return (
    <QueryClientProvider client={client}>
      <RefreshProvider>{children}</RefreshProvider>
    </QueryClientProvider>
  );
}
