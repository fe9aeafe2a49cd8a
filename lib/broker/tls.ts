import 'server-only';
// TLS towards a broker: a private CA, a client certificate. One shape for the management
// API, the Prometheus plugin and the RPC ping's amqps:// connection.
export interface BrokerTls {
  ca: Buffer | null;
  cert: Buffer | null;
  key: Buffer | null;
  rejectUnauthorized: boolean;
}

/** The options Node's TLS (https.Agent, tls.connect, amqplib) takes for it. */
export function tlsOptions(tls: BrokerTls) {
  return { ca: tls.ca ?? undefined, cert: tls.cert ?? undefined, key: tls.key ?? undefined, rejectUnauthorized: tls.rejectUnauthorized };
}
