/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  serverExternalPackages: ['amqplib'],
  // The dev server blocks its client scripts for other origins; screenshots and e2e use 127.0.0.1.
  allowedDevOrigins: ['127.0.0.1'],
  devIndicators: false,
};

module.exports = nextConfig;
