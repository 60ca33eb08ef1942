#!/usr/bin/env python3
"""CPU-milliseconds per operation of the silo and the gateway, for Entra ID's request shapes (issue: cost per request).

    python3 bench/cpu-per-op.py [--provider Sqlite|Memory] [--count 3000] [--threads 16] [--rounds 2]

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
import argparse, http.client, json, os, subprocess, tempfile, threading, time, uuid
from concurrent.futures import ThreadPoolExecutor

SILO, GATEWAY, KEY, TENANT = 5430, 5530, "bench", "cpuperop"
local = threading.local()


def conn(port):
    key = f"c{port}"
    if not hasattr(local, key):
        setattr(local, key, http.client.HTTPConnection("127.0.0.1", port, timeout=60))
    return getattr(local, key)


def call(port, method, path, body=None, headers=None):
    for _ in range(3):
        try:
            c = conn(port)
            c.request(method, path, body=body, headers=headers or {})
            r = c.getresponse()
            return r.status, r.read()
        except (ConnectionError, http.client.HTTPException):
            local.__dict__.pop(f"c{port}", None)
    raise RuntimeError(f"{method} {path} failed three times")


def admin(method, path, body=None):
    status, data = call(SILO, method, "/admin/v1" + path, json.dumps(body) if body else None,
                        {"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"})
    if status >= 300:
        raise RuntimeError(f"{method} {path}: {status} {data[:200]}")
    return json.loads(data) if data else None


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


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_ready(port, path):
    for _ in range(240):
        try:
            if call(port, "GET", path)[0] == 200:
                return
        except Exception:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"nothing answered {path} on {port}")


def main():
    args = argparse.ArgumentParser()
    args.add_argument("--provider", default="Sqlite")
    args.add_argument("--count", type=int, default=3000, help="operations per batch")
    args.add_argument("--threads", type=int, default=16)
    args.add_argument("--rounds", type=int, default=2)
    a = args.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    for project in ("src/Silo", "src/Gateway"):
        subprocess.run(["dotnet", "build", "-c", "Release", os.path.join(root, project), "--nologo", "-v", "q"], check=True, stdout=subprocess.DEVNULL)
    env = dict(os.environ, ASPNETCORE_ENVIRONMENT="Production")
    silo = subprocess.Popen(["dotnet", os.path.join(root, "src/Silo/bin/Release/net10.0/RfpioGateway.Silo.dll"), "--contentRoot", os.path.join(root, "src/Silo"),
                             f"--Urls=http://127.0.0.1:{SILO}", f"--Storage:Provider={a.provider}",
                             f"--Storage:Sqlite:Path={os.path.join(tempfile.mkdtemp(), 'cpu.db')}", f"--Admin:ApiKey={KEY}",
                             "--Orleans:SiloPort=11241", "--Orleans:GatewayPort=30130", "--Logging:LogLevel:Default=Warning"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    gateway = None
    try:
        wait_ready(SILO, "/health/live")
        gateway = subprocess.Popen(["dotnet", os.path.join(root, "src/Gateway/bin/Release/net10.0/RfpioGateway.Gateway.dll"),
                                    "--contentRoot", os.path.join(root, "src/Gateway"), f"--Urls=http://127.0.0.1:{GATEWAY}",
                                    f"--ReverseProxy:Clusters:silo:Destinations:silo1:Address=http://127.0.0.1:{SILO}",
                                    "--Logging:LogLevel:Default=Warning"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_ready(GATEWAY, "/health/ready")
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
            s0, g0, t0 = cpu_seconds(silo.pid), cpu_seconds(gateway.pid), time.perf_counter()
            with ThreadPoolExecutor(a.threads) as pool:
                list(pool.map(work, range(count)))
            elapsed = time.perf_counter() - t0
            return ((cpu_seconds(silo.pid) - s0) * 1000 / count, (cpu_seconds(gateway.pid) - g0) * 1000 / count, count / elapsed)

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
    finally:
        for p in (gateway, silo):
            if p is not None:
                p.terminate()
                p.wait(30)


def urlquote(text):
    from urllib.parse import quote
    return quote(text, safe="")


if __name__ == "__main__":
    main()
