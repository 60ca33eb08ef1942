#!/usr/bin/env python3
"""CPU-milliseconds per operation of the silo and the gateway, for Entra ID's request shapes (issue: cost per request).

    python3 bench/cpu-per-op.py [--provider Sqlite|Memory] [--count 3000] [--threads 16] [--rounds 2] [--silo-setting=--Key=Value ...]

Starts a Release silo and a Release gateway in front of it (their own ports), creates one tenant, warms both with a
round of every operation, then for each round runs fixed batches, one operation kind at a time, with --threads
requests in flight through the gateway:
  - create: Entra's pair, `GET /Users?filter=userName eq "…"` (no match) then `POST /Users` (the load tool's body);
  - patch: `PATCH /Users/{id}` with `Replace` of title and a filtered phone number, as Entra sends it;
  - get: `GET /Users/{id}`;
  - probe: Test Connection's `GET /Users?filter=userName eq "<random>"` (no match).
For each batch it reads utime+stime of the silo's and the gateway's processes from /proc/<pid>/stat before and after
and divides by the operations (a create counts once: its two requests together), next to the wall-clock rate. The
load generator (this script) runs on the same cores, so rates are lower than the processes could serve; the CPU per
operation is what the processes spent. Load goes to 127.0.0.1 only and stops by itself.
"""
import argparse, json, threading, time, uuid
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

from nodes import admin_call, build, call, cpu_seconds, start_gateway, start_silo, stop, switches_and_syscalls

SILO, GATEWAY, KEY, TENANT = 5430, 5530, "bench", "cpuperop"


def admin(method, path, body=None):
    return admin_call(SILO, KEY, method, path, body)


def create_body(user_name, i):
    return json.dumps({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
        "externalId": str(uuid.uuid4()), "userName": user_name, "active": True, "displayName": f"User {i}",
        "emails": [{"primary": True, "type": "work", "value": user_name}], "meta": {"resourceType": "User"},
        "name": {"formatted": f"User {i}", "familyName": f"Number{i}", "givenName": "User"}, "title": "Engineer",
        "phoneNumbers": [{"type": "work", "value": f"+1 425 555 {i % 10000:04d}"}, {"type": "mobile", "value": "+1 206 555 0100"}],
        "addresses": [{"type": "work", "streetAddress": "1 Microsoft Way", "locality": "Redmond", "region": "WA", "postalCode": "98052", "country": "US", "primary": True}],
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"employeeNumber": str(i), "department": "Engineering", "costCenter": f"CC{i % 50}"}})


def patch_body(i, round_):
    return json.dumps({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [
        {"op": "Replace", "path": "title", "value": f"Engineer {round_}-{i}"},
        {"op": "Replace", "path": "phoneNumbers[type eq \"mobile\"].value", "value": f"+1 206 555 {(round_ * 7 + i) % 10000:04d}"}]})



def main():
    args = argparse.ArgumentParser()
    args.add_argument("--provider", default="Sqlite")
    args.add_argument("--count", type=int, default=3000, help="operations per batch")
    args.add_argument("--threads", type=int, default=16)
    args.add_argument("--rounds", type=int, default=2)
    args.add_argument("--silo-setting", action="append", default=[], help="extra silo setting, e.g. --silo-setting=--Dashboard:Enabled=false")
    args.add_argument("--gateway-setting", action="append", default=[], help="extra gateway setting")
    a = args.parse_args()
    build("src/Silo", "src/Gateway")
    silo = gateway = None
    try:
        silo = start_silo(SILO, a.provider, KEY, 11241, 30130, *a.silo_setting)
        # The tenant's rate limit (2,500/s by default) would refuse a warm node's reads: this measures cost, not limits.
        gateway = start_gateway(GATEWAY, SILO, "--RateLimiting:PermitsPerSecond=1000000", "--RateLimiting:Burst=1000000", *a.gateway_setting)
        admin("PUT", f"/tenants/{TENANT}")
        admin("PUT", f"/tenants/{TENANT}/provisioning", {"enabled": True})
        token = admin("POST", f"/tenants/{TENANT}/token")["token"]
        headers = {"Host": f"{TENANT}.localhost", "Authorization": f"Bearer {token}", "Content-Type": "application/scim+json"}
        base = "/rfpserver/scim/v2"

        def scim(method, path, body=None, expect=(200, 201)):
            status, data = call(GATEWAY, method, base + path, body, headers)
            if status not in expect:
                raise RuntimeError(f"{method} {path}: {status} {data[:300]}")
            return data

        ids, lock = [], threading.Lock()

        def create(i):
            name = f"u{i}-{uuid.uuid4().hex[:8]}@cpu.example.com"
            scim("GET", "/Users?filter=" + urlquote(f'userName eq "{name}"'))
            user = json.loads(scim("POST", "/Users", create_body(name, i), expect=(201,)))
            with lock:
                ids.append(user["id"])

        def run(kind, count, round_):
            if kind == "create":
                work = lambda i: create(round_ * 1_000_000 + i)
            elif kind == "patch":
                work = lambda i: scim("PATCH", f"/Users/{ids[i % len(ids)]}", patch_body(i, round_))
            elif kind == "get":
                work = lambda i: scim("GET", f"/Users/{ids[i % len(ids)]}")
            else:
                work = lambda i: scim("GET", "/Users?filter=" + urlquote(f'userName eq "{uuid.uuid4().hex}@probe.example.com"'))
            (x0, y0), (gx0, gy0) = switches_and_syscalls(silo.pid), switches_and_syscalls(gateway.pid)
            s0, g0, t0 = cpu_seconds(silo.pid), cpu_seconds(gateway.pid), time.perf_counter()
            with ThreadPoolExecutor(a.threads) as pool:
                list(pool.map(work, range(count)))
            elapsed = time.perf_counter() - t0
            s1, g1 = cpu_seconds(silo.pid), cpu_seconds(gateway.pid)
            (x1, y1), (gx1, gy1) = switches_and_syscalls(silo.pid), switches_and_syscalls(gateway.pid)
            return ((s1 - s0) * 1000 / count, (g1 - g0) * 1000 / count, count / elapsed,
                    (x1 - x0) / count, (y1 - y0) / count, (gx1 - gx0) / count, (gy1 - gy0) / count)

        kinds = ("create", "patch", "get", "probe")
        for kind in kinds:  # warm-up: JIT tiers, caches, connection pools
            run(kind, a.count, 0)
        results = {k: [] for k in kinds}
        for r in range(1, a.rounds + 1):
            for kind in kinds:
                results[kind].append(run(kind, a.count, r))
        requests_per = {"create": 2, "patch": 1, "get": 1, "probe": 1}
        print(f"provider={a.provider} count={a.count} threads={a.threads} rounds={a.rounds} users={len(ids)}")
        print("| operation | silo CPU per op | gateway CPU per request | ops/s (wall) |")
        print("| --- | ---: | ---: | ---: |")
        for kind in kinds:
            silo_ms = [r[0] for r in results[kind]]
            gateway_ms = [r[1] / requests_per[kind] for r in results[kind]]
            rate = [r[2] for r in results[kind]]
            show = lambda xs, f: " / ".join(f.format(x) for x in xs)
            print(f"| {kind} | {show(silo_ms, '{:.3f}')} ms | {show(gateway_ms, '{:.3f}')} ms | {show(rate, '{:,.0f}')} |")
        print()
        print("| operation | silo context switches per op | silo read+write syscalls per op | gateway switches per request | gateway syscalls per request |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for kind in kinds:
            per = requests_per[kind]
            column = lambda i, d: " / ".join(f"{r[i] / d:.1f}" for r in results[kind])
            print(f"| {kind} | {column(3, 1)} | {column(4, 1)} | {column(5, per)} | {column(6, per)} |")
    finally:
        stop(gateway, silo)


def urlquote(text):
    return quote(text, safe="")


if __name__ == "__main__":
    main()
