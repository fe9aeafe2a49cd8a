import type { Metadata } from 'next';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import { Header } from '@/components/layout/header';
import { Providers } from '@/components/layout/providers';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Rabbit Lens', template: '%s · Rabbit Lens' },
  description: "RabbitMQ explained in OpenStack's terms",
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page is rendered per request: its scripts carry that request's CSP nonce (proxy.ts).
  await connection();
  return (
    <html lang="en">
      <body className="min-h-screen">
        <Providers>
          <Header />
          <main className="mx-auto max-w-[1600px] px-4 py-4">{children}</main>
        </Providers>
      </body>
    </html>
  );
}
