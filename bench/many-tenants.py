#!/usr/bin/env python3
"""Silo memory with many small tenants: before, with all grains active, and after they go idle.

    python3 bench/many-tenants.py --tenants 10000 --users 10 --idle-seconds 60 [--provider Sqlite|Memory]

Starts a Release silo (SQLite storage by default, grain collection age 20 s), serves one warm-up tenant and lets it
go idle (the "start" reading), creates the tenants (operator API) and
their users (SCIM, one token per tenant) with 32 threads over loopback, then reads the silo's managed heap
after a full collection (GET /admin/v1/diagnostics) at each stage. Bounded: it stops by itself.
"""
import argparse, http.client, json, os, subprocess, sys, tempfile, time
from concurrent.futures import ThreadPoolExecutor
import threading

PORT = 5410
KEY = "bench"
local = threading.local()

def conn():
    if not hasattr(local, "c"):
        local.c = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    return local.c

def call(method, path, body=None, headers=None):
    for attempt in range(3):
        try:
            c = conn()
            c.request(method, path, body=json.dumps(body) if isinstance(body, dict) else body, headers=headers or {})
            r = c.getresponse()
            data = r.read()
            return r.status, data
        except (ConnectionError, http.client.HTTPException):
            local.__dict__.pop("c", None)
    raise RuntimeError(f"{method} {path} failed three times")

def admin(method, path, body=None):
    return call(method, "/admin/v1" + path, body, {"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"})

def heap():
    status, data = admin("GET", "/diagnostics")
    return json.loads(data)

def setup_tenant(i, users):
    tenant = f"many{i}"
    admin("PUT", f"/tenants/{tenant}", {"shardCount": 4})
    admin("PUT", f"/tenants/{tenant}/provisioning", {"enabled": True})
    token = json.loads(admin("POST", f"/tenants/{tenant}/token")[1])["token"]
    headers = {"Host": f"{tenant}.localhost", "Authorization": f"Bearer {token}", "Content-Type": "application/scim+json"}
    for u in range(users):
        status, _ = call("POST", "/rfpserver/scim/v2/Users", {"userName": f"u{u}@{tenant}.example.com", "active": True}, headers)
        if status != 201:
            raise RuntimeError(f"create answered {status}")

def main():
    args = argparse.ArgumentParser()
    args.add_argument("--tenants", type=int, default=10000)
    args.add_argument("--users", type=int, default=10)
    args.add_argument("--idle-seconds", type=int, default=60)
    args.add_argument("--warmup-seconds", type=int, default=45, help="one tenant is served and left idle this long before the start reading")
    args.add_argument("--provider", default="Sqlite", help="Sqlite (state on disk) or Memory (state stays in the heap by design)")
    args.add_argument("--gcdump", help="also write a heap dump of the idle silo here (needs dotnet-gcdump: dotnet tool install -g dotnet-gcdump)")
    a = args.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    subprocess.run(["dotnet", "build", "-c", "Release", os.path.join(root, "src/Silo"), "--nologo", "-v", "q"], check=True, stdout=subprocess.DEVNULL)
    env = dict(os.environ, ASPNETCORE_ENVIRONMENT="Production")
    silo = subprocess.Popen(["dotnet", os.path.join(root, "src/Silo/bin/Release/net10.0/RfpioGateway.Silo.dll"),
                             "--contentRoot", os.path.join(root, "src/Silo"), f"--Urls=http://127.0.0.1:{PORT}",
                             f"--Storage:Provider={a.provider}", f"--Storage:Sqlite:Path={os.path.join(tempfile.mkdtemp(), 'many.db')}", f"--Admin:ApiKey={KEY}", "--Orleans:GrainCollectionAge=00:00:20",
                             "--Orleans:SiloPort=11211", "--Orleans:GatewayPort=30100", "--Logging:LogLevel:Default=Warning"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(240):
            try:
                if call("GET", "/health/live")[0] == 200:
                    break
            except Exception:
                pass
            time.sleep(0.5)
        # "Start" is a silo that has served one tenant and gone idle: a reading right after start-up catches
        # lazy initialisation half done (3.7 MB in one run, 22 MB in another).
        setup_tenant(a.tenants, a.users)
        time.sleep(a.warmup_seconds)
        before = heap()
        started = time.time()
        with ThreadPoolExecutor(32) as pool:
            list(pool.map(lambda i: setup_tenant(i, a.users), range(a.tenants)))
        elapsed = time.time() - started
        active = heap()
        time.sleep(a.idle_seconds)  # the benchmark's idle period: grains older than the collection age deactivate
        idle = heap()
        if a.gcdump:
            subprocess.run([os.path.expanduser("~/.dotnet/tools/dotnet-gcdump"), "collect", "-p", str(silo.pid), "-o", a.gcdump],
                           check=True, stdout=subprocess.DEVNULL)
        mb = lambda b: b["managedHeapBytes"] / 1e6
        print(f"provider={a.provider} tenants={a.tenants} users/tenant={a.users} setup={elapsed:.0f}s ({a.tenants * (a.users + 3) / elapsed:.0f} req/s)")
        print("| stage | managed heap MB | working set MB |")
        print("| --- | ---: | ---: |")
        for name, h in (("start", before), ("all grains active", active), (f"after {a.idle_seconds}s idle", idle)):
            print(f"| {name} | {mb(h):.1f} | {h['workingSetBytes'] / 1e6:.0f} |")
        print(f"idle / start managed heap: {idle['managedHeapBytes'] / before['managedHeapBytes']:.2f}")
    finally:
        silo.terminate()
        silo.wait(30)

if __name__ == "__main__":
    main()
