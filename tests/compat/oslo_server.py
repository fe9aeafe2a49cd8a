#!/usr/bin/python3
"""A real oslo.messaging RPC server for the compatibility tests.

Run with Debian's /usr/bin/python3 (python3-oslo.messaging):
    oslo_server.py --url rabbit://guest:guest@127.0.0.1:5672/VHOST \
        --exchange nova --topic compat --server py-1 [--rabbit rabbit_quorum_queue=true ...]

Endpoints: `ping` in namespace 'baseapi' version 1.1 (like nova's BaseRPCAPI) and
`echo` (default namespace, version 1.0). Prints `READY <topic>.<server>` once the
per-server queue has a consumer. On SIGUSR1 it stops its RPC server (the consumers are
cancelled) and prints `STOPPED-SERVING`, the process staying up as a hung service does.
Stops on SIGTERM/SIGINT or when stdin closes.
"""
import argparse
import json
import logging
import os
import signal
import sys
import threading
import time
import warnings
from urllib.parse import urlparse

warnings.filterwarnings('ignore')
logging.basicConfig(level=logging.ERROR, stream=sys.stderr)
for name in ('oslo_messaging', 'oslo.messaging', 'kombu', 'amqp', 'oslo_config'):
    logging.getLogger(name).setLevel(logging.CRITICAL)

import kombu  # noqa: E402
import oslo_messaging as messaging  # noqa: E402
from oslo_config import cfg  # noqa: E402

import rabbit_options  # noqa: E402


class BaseAPI:
    """nova.baserpc.BaseRPCAPI's server side."""
    target = messaging.Target(namespace='baseapi', version='1.1')

    def __init__(self, service_name):
        self.service_name = service_name

    def ping(self, context, arg):
        return {'service': self.service_name, 'arg': arg}


class Manager:
    target = messaging.Target(version='1.0')

    def echo(self, context, **kwargs):
        return kwargs


def wait_for_consumer(url, queue, timeout=30.0):
    """Waits until `queue` has a consumer (oslo consumes from its poll thread)."""
    parsed = urlparse(url)
    amqp_url = parsed._replace(scheme='amqp').geturl()
    deadline = time.time() + timeout
    with kombu.Connection(amqp_url) as conn:
        channel = conn.channel()
        while time.time() < deadline:
            try:
                _, _, consumers = channel.queue_declare(queue=queue, passive=True)
                if consumers > 0:
                    return True
            except Exception:  # queue not there yet: the channel closed, open another
                channel = conn.channel()
            time.sleep(0.1)
    return False


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--url', required=True)
    p.add_argument('--exchange', default='openstack')
    p.add_argument('--topic', required=True)
    p.add_argument('--server', required=True)
    rabbit_options.add_argument(p)
    args = p.parse_args()

    messaging.set_transport_defaults(control_exchange=args.exchange)
    conf = cfg.CONF  # oslo registers some options (metrics) on the global CONF only
    conf(args=[], project='oslo-compat', default_config_files=rabbit_options.config_files(args.rabbit), default_config_dirs=[])
    transport = messaging.get_rpc_transport(conf, url=args.url)
    target = messaging.Target(topic=args.topic, server=args.server)
    server = messaging.get_rpc_server(transport, target, [Manager(), BaseAPI(args.topic)], executor='threading')
    server.start()

    queue = '%s.%s' % (args.topic, args.server)
    if not wait_for_consumer(args.url, queue):
        print('FAILED no consumer on %s' % queue, flush=True)
        return 1
    print('READY %s %s' % (queue, json.dumps({'exchange': args.exchange})), flush=True)

    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())
    stop_serving = threading.Event()
    signal.signal(signal.SIGUSR1, lambda *_: stop_serving.set())

    def serve_until_told():
        stop_serving.wait()
        if done.is_set():
            return
        server.stop()
        server.wait()
        print('STOPPED-SERVING', flush=True)
    threading.Thread(target=serve_until_told, daemon=True).start()

    def watch_stdin():
        # the parent (the test) went away: stop too
        try:
            sys.stdin.read()
        finally:
            done.set()
    threading.Thread(target=watch_stdin, daemon=True).start()

    done.wait()
    if not stop_serving.is_set():
        server.stop()
        server.wait()
    transport.cleanup()
    print('STOPPED', flush=True)
    return 0


if __name__ == '__main__':
    code = main()
    sys.stdout.flush()
    # oslo/kombu leave non-daemon threads behind that delay exit by ~10 s
    os._exit(code)
