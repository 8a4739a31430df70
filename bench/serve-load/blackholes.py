#!/usr/bin/env python3
"""Hung servers for bench/serve-load.sh: N loopback ports that accept every connection and never send a byte.

A connection is closed only when the client closes it, so the prober's own file descriptors show whether it lets go
of a target it gave up on. Prints the ports, one per line, then runs until killed.
"""
import asyncio
import sys


async def hold(reader, writer):
    try:
        while await reader.read(4096):
            pass  # swallow the request: the server is hung, not deaf
    except (ConnectionError, OSError):
        pass
    writer.close()


async def main(n):
    servers = [await asyncio.start_server(hold, "127.0.0.1", 0, backlog=1024) for _ in range(n)]
    for s in servers:
        print(s.sockets[0].getsockname()[1])
    sys.stdout.flush()
    await asyncio.gather(*(s.serve_forever() for s in servers))


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 20))
