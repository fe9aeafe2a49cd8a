#!/usr/bin/python3
"""A real oslo.messaging RPC client: makes one call and prints the outcome as one JSON line.

    oslo_client.py --url rabbit://guest:guest@127.0.0.1:5672/VHOST --exchange nova \
        --topic compute --server node-1 --method ping --namespace baseapi --version 1.1 \
        --args '{"arg": null}' --timeout 10

With --cast it casts instead (prints {"ok": true, "result": null} once sent); --context takes
the request context as JSON (default: a fixed user/project/request id).

Prints {"ok": true, "result": ...} or {"ok": false, "failure": "<remote exception class>",
"message": "..."} or {"ok": false, "timeout": true}.
"""
import argparse
import json
import logging
import os
import sys
import warnings

warnings.filterwarnings('ignore')
logging.basicConfig(level=logging.ERROR, stream=sys.stderr)
for name in ('oslo_messaging', 'oslo.messaging', 'kombu', 'amqp', 'oslo_config'):
    logging.getLogger(name).setLevel(logging.CRITICAL)

import oslo_messaging as messaging  # noqa: E402
from oslo_config import cfg  # noqa: E402

import rabbit_options  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--url', required=True)
    p.add_argument('--exchange', default='openstack')
    p.add_argument('--topic', required=True)
    p.add_argument('--server', default=None)
    p.add_argument('--method', required=True)
    p.add_argument('--namespace', default=None)
    p.add_argument('--version', default=None)
    p.add_argument('--args', default='{}')
    p.add_argument('--timeout', type=float, default=10)
    p.add_argument('--cast', action='store_true')
    p.add_argument('--context', default=None)
    rabbit_options.add_argument(p)
    args = p.parse_args()

    messaging.set_transport_defaults(control_exchange=args.exchange)
    conf = cfg.CONF  # oslo registers some options (metrics) on the global CONF only
    conf(args=[], project='oslo-compat', default_config_files=rabbit_options.config_files(args.rabbit), default_config_dirs=[])
    transport = messaging.get_rpc_transport(conf, url=args.url)
    target = messaging.Target(topic=args.topic, server=args.server, namespace=args.namespace, version=args.version)
    client = messaging.get_rpc_client(transport, target, timeout=args.timeout)
    ctxt = {'user': 'compat', 'project_id': 'compat', 'request_id': 'req-00000000-0000-4000-8000-000000000000'}
    if args.context is not None:
        ctxt = json.loads(args.context)
    try:
        if args.cast:
            client.cast(ctxt, args.method, **json.loads(args.args))
            out = {'ok': True, 'result': None}
        else:
            result = client.call(ctxt, args.method, **json.loads(args.args))
            out = {'ok': True, 'result': result}
    except messaging.MessagingTimeout:
        out = {'ok': False, 'timeout': True}
    except messaging.RemoteError as e:
        out = {'ok': False, 'failure': e.exc_type, 'message': e.value}
    except Exception as e:  # a remote exception rebuilt from an allowed module
        name = type(e).__name__
        if name.endswith('_Remote'):
            name = name[:-len('_Remote')]
        out = {'ok': False, 'failure': name, 'message': str(e).split('\n')[0]}
    finally:
        transport.cleanup()
    print(json.dumps(out), flush=True)
    return 0


if __name__ == '__main__':
    code = main()
    sys.stdout.flush()
    # oslo/kombu leave non-daemon threads behind that delay exit by ~10 s
    os._exit(code)
