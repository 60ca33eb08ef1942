#!/usr/bin/env python3
"""What queries cost as one tenant grows: 1,000, 10,000 and 100,000 users.

    python3 bench/query-cost.py [--provider Sqlite|Memory] [--sizes 1000,10000,100000] [--iterations 200] [--page 500]

Starts a Release silo, creates one tenant and grows it to each size in turn (users created through POST /Bulk,
1,000 operations per request, 4 at a time; every tenth user shares an externalId with nine others). At each size,
one request at a time, client-side p50/p99 and the silo's CPU (utime+stime from /proc/<pid>/stat, per request):
  - externalId eq (the shards' value index; ten holders);
  - title eq on a value nobody has, an enterprise employeeNumber eq, and nickName co: filters without an index,
    which every shard evaluates over its summaries (the whole documents);
  - index paging deep into the tenant (startIndex = size - 100, count 100);
  - a cursor walk of the whole tenant (RFC 9865, count = --page): per page, and the first tenth of pages against
    the last tenth, which is what "flat deep into the tenant" means;
  - the silo's managed heap after a full collection (GET /admin/v1/diagnostics), shards and users still active.
Load goes to 127.0.0.1 only and stops by itself.
"""
import argparse, json, statistics, time, urllib.parse
from concurrent.futures import ThreadPoolExecutor

from nodes import admin_call, build, call, cpu_seconds, start_silo, stop

SILO, KEY, TENANT = 5430, "bench", "querycost"
ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


def admin(method, path, body=None):
    return admin_call(SILO, KEY, method, path, body)


class Scim:
    def __init__(self, token):
        self.headers = {"Host": f"{TENANT}.localhost", "Authorization": f"Bearer {token}", "Content-Type": "application/scim+json"}

    def send(self, method, path, body=None):
        status, data = call(SILO, method, "/rfpserver/scim/v2" + path, json.dumps(body) if body is not None else None, self.headers)
        if status >= 300:
            raise RuntimeError(f"{method} {path}: {status} {data[:300]}")
        return json.loads(data) if data else None


def ms(samples, p):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] * 1000


def timed(silo, requests):
    """Runs the callables one at a time: (latencies in s, silo CPU ms per request)."""
    latencies = []
    cpu = cpu_seconds(silo.pid)
    for request in requests:
        started = time.perf_counter()
        request()
        latencies.append(time.perf_counter() - started)
    return latencies, (cpu_seconds(silo.pid) - cpu) * 1000 / len(latencies)


def grow(scim, start, end):
    def batch(first):
        ops = [{"method": "POST", "path": "/Users", "bulkId": str(i),
                "data": {"userName": f"u{i}@example.com", "displayName": f"User {i}", "externalId": f"ext-{i // 10}", "title": "Guide",
                         ENTERPRISE: {"employeeNumber": str(700000 + i), "department": "Tours"}}}
               for i in range(first, min(first + 1000, end))]
        answer = scim.send("POST", "/Bulk", {"schemas": ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"], "Operations": ops})
        failed = [o for o in answer["Operations"] if o["status"] != "201"]
        if failed:
            raise RuntimeError(f"bulk create failed: {failed[0]}")
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(batch, range(start, end, 1000)))


def main():
    args = argparse.ArgumentParser()
    args.add_argument("--provider", default="Sqlite")
    args.add_argument("--sizes", default="1000,10000,100000")
    args.add_argument("--iterations", type=int, default=200)
    args.add_argument("--page", type=int, default=500)
    a = args.parse_args()
    build("src/Silo")
    silo = None
    try:
        silo = start_silo(SILO, a.provider, KEY, 11232, 30121)
        admin("PUT", f"/tenants/{TENANT}")
        admin("PUT", f"/tenants/{TENANT}/provisioning", {"enabled": True})
        scim = Scim(admin("POST", f"/tenants/{TENANT}/token")["token"])
        print(f"provider {a.provider}")
        print("| users | query | p50 ms | p99 ms | silo CPU ms/request |")
        print("| ---: | --- | ---: | ---: | ---: |")
        size = 0
        for target in [int(s) for s in a.sizes.split(",")]:
            started = time.time()
            grow(scim, size, target)
            size = target
            grew = time.time() - started
            n = a.iterations
            # Warm: every shard active, its value map built.
            scim.send("GET", "/Users?filter=" + urllib.parse.quote('externalId eq "ext-0"'))
            scim.send("GET", "/Users?filter=" + urllib.parse.quote('title eq "Nobody"'))
            queries = {
                "externalId eq (10 holders)": lambda i: f"/Users?filter=" + urllib.parse.quote(f'externalId eq "ext-{(i * 7919) % (size // 10)}"'),
                "title eq (summary scan, no match)": lambda i: "/Users?filter=" + urllib.parse.quote('title eq "Nobody"'),
                "enterprise employeeNumber eq (scan, 1 match)": lambda i: "/Users?filter=" + urllib.parse.quote(f'{ENTERPRISE}:employeeNumber eq "{700000 + (i * 7919) % size}"'),
                "nickName co (scan, no match)": lambda i: "/Users?filter=" + urllib.parse.quote('nickName co "zz"'),
                "index page at startIndex size-100": lambda i: f"/Users?startIndex={size - 100}&count=100&excludedAttributes=groups",
            }
            for name, path in queries.items():
                latencies, cpu = timed(silo, [lambda i=i, path=path: scim.send("GET", path(i)) for i in range(n)])
                print(f"| {size:,} | {name} | {ms(latencies, 50):.1f} | {ms(latencies, 99):.1f} | {cpu:.2f} |", flush=True)
            cursor, pages, seen = "", [], 0
            cpu = cpu_seconds(silo.pid)
            while cursor is not None:
                started = time.perf_counter()
                page = scim.send("GET", f"/Users?count={a.page}&excludedAttributes=groups&cursor={urllib.parse.quote(cursor)}")
                pages.append(time.perf_counter() - started)
                seen += len(page["Resources"])
                cursor = page.get("nextCursor")
            walk_cpu = (cpu_seconds(silo.pid) - cpu) * 1000 / len(pages)
            tenth = max(1, len(pages) // 10)
            first, last = statistics.median(pages[:tenth]) * 1000, statistics.median(pages[-tenth:]) * 1000
            print(f"| {size:,} | cursor walk, {len(pages)} pages of {a.page} ({seen:,} users) | {ms(pages, 50):.1f} | {ms(pages, 99):.1f} | {walk_cpu:.2f} |", flush=True)
            print(f"|  | cursor walk: first tenth median {first:.1f} ms, last tenth {last:.1f} ms (ratio {last / first:.2f}); grew in {grew:.0f} s |  |  |  |", flush=True)
            if seen != size:
                raise RuntimeError(f"the walk saw {seen} users of {size}")
            heap = admin("GET", "/diagnostics")["managedHeapBytes"] / 1e6
            print(f"|  | silo managed heap after a full collection: {heap:.0f} MB |  |  |  |", flush=True)
    finally:
        stop(silo)


if __name__ == "__main__":
    main()
