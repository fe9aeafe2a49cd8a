"""[oslo_messaging_rabbit] options for the compatibility scripts (oslo_server.py, oslo_client.py)."""
import tempfile


def add_argument(parser):
    parser.add_argument('--rabbit', action='append', default=[], metavar='OPTION=VALUE',
                        help='an [oslo_messaging_rabbit] option, e.g. rabbit_quorum_queue=true (repeatable)')


def config_files(options):
    """The options as a configuration file, as a deployment writes them (none: no file)."""
    if not options:
        return []
    f = tempfile.NamedTemporaryFile('w', suffix='.conf', delete=False)
    f.write('[oslo_messaging_rabbit]\n' + ''.join('%s = %s\n' % tuple(o.split('=', 1)) for o in options))
    # use_queue_manager keeps its per-process counter under a lock file, as services configure
    f.write('[oslo_concurrency]\nlock_path = %s\n' % tempfile.gettempdir())
    f.close()
    return [f.name]
