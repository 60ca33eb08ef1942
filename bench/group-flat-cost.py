#!/usr/bin/env python3
"""Do membership changes cost the same in a group of 100, 10,000 and 100,000 members?

    python3 bench/group-flat-cost.py [--provider Sqlite|Memory] [--sizes 100,10000,100000] [--iterations 300] [--gateway]

Starts a Release silo (and with --gateway a Release gateway in front of it, which all SCIM traffic then goes
through), creates one tenant with as many users as the largest group (32 threads), and builds one group per size
with Entra's PATCHes of 100 members (`Add`, `path: members`), timing the largest build. Each group's members are a
random sample of the tenant's users, as an IdP's groups are (not the first N created, whose rows would sit together). Then, per group and one
request at a time:
  - add 100: `Remove` 100 listed members, then `Add` the same 100 back (the group keeps its size);
  - remove 1: `Remove` one listed member, then `Add` it back;
  - get: `GET /Groups/{id}?excludedAttributes=members`.
Latency is client-side (p50/p99); CPU is the silo's utime+stime from /proc/<pid>/stat around each phase, divided
by the requests in it. Also reads the silo's managed heap after a full collection (GET /admin/v1/diagnostics)
before and after building the largest group and once its grains have gone idle. Load goes to 127.0.0.1 only and
stops by itself.
"""
import argparse, json, random, time
from concurrent.futures import ThreadPoolExecutor

from nodes import admin_call, build, call, cpu_seconds, start_gateway, start_silo, stop

SILO, GATEWAY, KEY, TENANT = 5420, 5520, "bench", "groupflat"
PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
target = SILO


def admin(method, path, body=None):
    return admin_call(SILO, KEY, method, path, body)


class Scim:
    def __init__(self, token):
        self.headers = {"Host": f"{TENANT}.localhost", "Authorization": f"Bearer {token}", "Content-Type": "application/scim+json"}

    def send(self, method, path, body=None, expect=(200, 201, 204)):
        status, data = call(target, method, "/rfpserver/scim/v2" + path, json.dumps(body) if body is not None else None, self.headers)
        if status not in expect:
            raise RuntimeError(f"{method} {path}: {status} {data[:300]}")
        return json.loads(data) if data else None

    def patch(self, group, op, ids):
        ops = [{"op": op, "path": "members", "value": [{"$ref": None, "value": i} for i in ids]}]
        self.send("PATCH", f"/Groups/{group}", {"schemas": [PATCH_OP], "Operations": ops}, expect=(204,))


def percentile(samples, p):
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] * 1000



def main():
    global target
    args = argparse.ArgumentParser()
    args.add_argument("--provider", default="Sqlite")
    args.add_argument("--sizes", default="100,10000,100000")
    args.add_argument("--iterations", type=int, default=300)
    args.add_argument("--gateway", action="store_true")
    args.add_argument("--idle-seconds", type=int, default=45)
    a = args.parse_args()
    sizes = [int(s) for s in a.sizes.split(",")]
    build("src/Silo", *(["src/Gateway"] if a.gateway else []))
    silo = gateway = None
    try:
        silo = start_silo(SILO, a.provider, KEY, 11231, 30120, "--Orleans:GrainCollectionAge=00:00:20")
        if a.gateway:
            gateway = start_gateway(GATEWAY, SILO)
            target = GATEWAY
        admin("PUT", f"/tenants/{TENANT}")
        admin("PUT", f"/tenants/{TENANT}/provisioning", {"enabled": True})
        scim = Scim(admin("POST", f"/tenants/{TENANT}/token")["token"])

        started = time.time()
        with ThreadPoolExecutor(32) as pool:
            users = list(pool.map(lambda i: scim.send("POST", "/Users", {"userName": f"m{i}@groups.example.com", "displayName": f"Member {i}"})["id"],
                                  range(max(sizes))))
        print(f"provider={a.provider} via={'gateway' if a.gateway else 'silo'} users={len(users)} created in {time.time() - started:.0f}s")

        heap_before = admin("GET", "/diagnostics")
        rng = random.Random(1)
        groups, build_seconds, members_of = {}, {}, {}
        for size in sizes:
            group = scim.send("POST", "/Groups", {"displayName": f"Size {size}"})["id"]
            members_of[size] = rng.sample(users, size)
            started = time.time()
            for start in range(0, size, 100):
                scim.patch(group, "Add", members_of[size][start:start + 100])
            build_seconds[size] = time.time() - started
            groups[size] = group
        heap_built = admin("GET", "/diagnostics")

        print("| members | add 100 p50 | add 100 p99 | add 100 silo CPU | remove 1 p50 | remove 1 p99 | remove 1 silo CPU | get (no members) p50 | get silo CPU |")
        print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for size in sizes:
            group, members = groups[size], members_of[size]
            for _ in range(20):  # warm-up
                ids = rng.sample(members, min(100, size))
                scim.patch(group, "Remove", ids)
                scim.patch(group, "Add", ids)
            row = [f"{size:,}"]
            for count in (100, 1):
                adds, cpu = [], cpu_seconds(silo.pid)
                for _ in range(a.iterations):
                    ids = rng.sample(members, count)
                    scim.patch(group, "Remove", ids)
                    t = time.perf_counter()
                    scim.patch(group, "Add", ids)
                    adds.append(time.perf_counter() - t)
                cpu = (cpu_seconds(silo.pid) - cpu) * 1000 / (2 * a.iterations)
                row += [f"{percentile(adds, 50):.2f} ms", f"{percentile(adds, 99):.2f} ms", f"{cpu:.2f} ms"]
            gets, cpu = [], cpu_seconds(silo.pid)
            for _ in range(a.iterations):
                t = time.perf_counter()
                scim.send("GET", f"/Groups/{group}?excludedAttributes=members")
                gets.append(time.perf_counter() - t)
            cpu = (cpu_seconds(silo.pid) - cpu) * 1000 / a.iterations
            row += [f"{percentile(gets, 50):.2f} ms", f"{cpu:.2f} ms"]
            print("| " + " | ".join(row) + " |")
        largest = max(sizes)
        t = time.perf_counter()
        full = scim.send("GET", f"/Groups/{groups[largest]}")
        print(f"GET of the {largest:,}-member group with its members: {len(full['members']):,} members in {time.perf_counter() - t:.2f}s")
        print(f"building the {largest:,}-member group with {largest // 100:,} PATCHes of 100: {build_seconds[largest]:.1f}s ({largest / build_seconds[largest]:,.0f} members/s)")
        time.sleep(a.idle_seconds)
        heap_idle = admin("GET", "/diagnostics")
        mb = lambda h: h["managedHeapBytes"] / 1e6
        print(f"silo managed heap: {mb(heap_before):.1f} MB before the groups, {mb(heap_built):.1f} MB after building them, "
              f"{mb(heap_idle):.1f} MB after {a.idle_seconds}s idle")
    finally:
        stop(gateway, silo)


if __name__ == "__main__":
    main()
