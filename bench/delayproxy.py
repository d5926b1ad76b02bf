#!/usr/bin/env python3
"""A TCP proxy that adds a fixed delay in each direction (default 20 ms, so ~40 ms per round trip),
like a far registry. This kernel has no netem, so a proxy it is. Bytes are forwarded in order;
bandwidth is not limited. Usage: delayproxy.py LISTEN_PORT TARGET_HOST:PORT [ONE_WAY_MS]"""
import asyncio, sys, time

async def pipe(reader, writer, delay):
    q = asyncio.Queue()
    async def sender():
        while True:
            due, data = await q.get()
            if data is None:
                break
            wait = due - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            writer.write(data)
            await writer.drain()
        try:
            writer.write_eof()
        except OSError:
            pass
    task = asyncio.ensure_future(sender())
    try:
        while True:
            data = await reader.read(256 * 1024)
            if not data:
                break
            q.put_nowait((time.monotonic() + delay, data))
    except OSError:
        pass
    q.put_nowait((0, None))
    await task

async def handle(cr, cw, host, port, delay):
    try:
        ur, uw = await asyncio.open_connection(host, port)
    except OSError:
        cw.close(); return
    await asyncio.gather(pipe(cr, uw, delay), pipe(ur, cw, delay), return_exceptions=True)
    cw.close(); uw.close()

async def main():
    listen = int(sys.argv[1]); host, port = sys.argv[2].rsplit(":", 1)
    delay = (float(sys.argv[3]) if len(sys.argv) > 3 else 20.0) / 1000
    srv = await asyncio.start_server(lambda r, w: handle(r, w, host, int(port), delay), "127.0.0.1", listen)
    async with srv:
        await srv.serve_forever()

asyncio.run(main())
