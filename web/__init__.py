"""`casus serve`: the HTTP API and the what-if explorer (FastAPI; engine work in worker processes)."""
