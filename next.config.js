/** Headers every answer carries; pages add their content security policy in proxy.ts. */
const securityHeaders = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'no-referrer' },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=()' },
];

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  serverExternalPackages: ['amqplib', 'better-sqlite3', 'pg', 'kysely'],
  // The dev server blocks its client scripts for other origins; screenshots and e2e use 127.0.0.1.
  allowedDevOrigins: ['127.0.0.1'],
  devIndicators: false,
  async headers() {
    return [
      { source: '/:path*', headers: securityHeaders },
      // JSON is never a document: no scripts, no frames.
      {
        source: '/api/:path*',
        headers: [
          { key: 'Content-Security-Policy', value: "default-src 'none'; frame-ancestors 'none'" },
        ],
      },
    ];
  },
};

module.exports = nextConfig;
