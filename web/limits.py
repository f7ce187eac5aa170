"""`casus serve`'s limits on clients (defaults of its options): plain numbers, so that the
CLI can show them in --help without importing the server."""

HEADER_TIMEOUT = 10.0        # seconds to send a request's headers
BODY_TIMEOUT = 10.0          # seconds for each part of a request body to arrive
MAX_CONNECTIONS = 256        # open connections (bench/load.py runs 200 clients)
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
WORKER_MEMORY_MB = 400        # a worker starts at about 60 MB (the law compiled, the shipped cases read)
