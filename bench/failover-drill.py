#!/usr/bin/env python3
"""Failover drill on the local 3-silo cluster (deploy/local/cluster.sh): SIGKILL one silo during a stream of
Entra-style creates (filter by userName, then POST; retried until acknowledged, as Entra retries) and reads through
the gateway. Afterwards every acknowledged create must be readable and no userName may exist twice. Prints the
error rate and the time to recover.

    python3 bench/failover-drill.py [--tenants 6] [--seconds 60] [--kill-at 10] [--silo 2]
"""
import argparse
import collections
import http.client
import json
import os
import random
import subprocess
import threading
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLUSTER = os.path.join(ROOT, "deploy", "local", "cluster.sh")
STATE = os.environ.get("RFPIO_CLUSTER_DIR", os.path.join(ROOT, "deploy", "local", ".cluster"))


def call(conn_box, method, host, path, token, body=None):
    """One request through the gateway; returns (status, json or None). Status 0 means no HTTP answer."""
    headers = {"Host": host, "Authorization": "Bearer " + token}
    if body is not None:
        headers["Content-Type"] = "application/scim+json"
    try:
        if conn_box[0] is None:
            conn_box[0] = http.client.HTTPConnection("127.0.0.1", 8080, timeout=40)
        conn_box[0].request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
        response = conn_box[0].getresponse()
        data = response.read()
        return response.status, (json.loads(data) if data else None)
    except (OSError, http.client.HTTPException, ValueError):
        if conn_box[0] is not None:
            conn_box[0].close()
        conn_box[0] = None
        return 0, None


def admin(method, path, body=None):
    key = open(os.path.join(STATE, "admin-api-key")).read().strip()
    conn = http.client.HTTPConnection("127.0.0.1", 8081, timeout=30)
    conn.request(method, "/admin/v1/tenants/" + path, body=json.dumps(body) if body else None,
                 headers={"Authorization": "Bearer " + key, "Content-Type": "application/json"})
    response = conn.getresponse()
    data = response.read()
    assert response.status < 300, (path, response.status, data)
    return json.loads(data) if data else None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tenants", type=int, default=6)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--kill-at", type=float, default=10)
    parser.add_argument("--silo", type=int, default=2)
    args = parser.parse_args()

    status = subprocess.run(["bash", CLUSTER, "status"], capture_output=True, text=True).stdout
    if status.count(": ready") < 5:
        subprocess.run(["bash", CLUSTER, "up"], check=True, stdout=subprocess.DEVNULL)

    run = "drill%d" % random.randrange(10**6)
    tenants = {}
    for i in range(args.tenants):
        name = "%s-%d" % (run, i)
        admin("PUT", name)
        admin("PUT", name + "/provisioning", {"enabled": True})
        tenants[name] = admin("POST", name + "/token")["token"]

    events = []            # (seconds since start, kind, status)
    acked = {t: {} for t in tenants}   # tenant -> userName -> id
    lock = threading.Lock()
    start = time.monotonic()
    stop_at = start + args.seconds

    def record(kind, code):
        with lock:
            events.append((time.monotonic() - start, kind, code))

    def worker(tenant, token):
        host = tenant + ".rfpio.com"
        conn = [None]
        n = 0
        while time.monotonic() < stop_at:
            n += 1
            user = "u%d@%s.example.com" % (n, tenant)
            query = "/rfpserver/scim/v2/Users?filter=" + urllib.parse.quote('userName eq "%s"' % user)
            while True:  # Entra retries a failed create in a later cycle: filter first, then POST
                code, found = call(conn, "GET", host, query, token)
                record("filter", code)
                if code == 200 and found["totalResults"] == 1:
                    user_id = found["Resources"][0]["id"]
                    break
                if code == 200:
                    code, created = call(conn, "POST", host, "/rfpserver/scim/v2/Users", token,
                                         {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": user, "active": True})
                    record("create", code)
                    if code == 201:
                        user_id = created["id"]
                        break
                time.sleep(0.05)
            with lock:
                acked[tenant][user] = user_id
                known = list(acked[tenant].values())
            code, _ = call(conn, "GET", host, "/rfpserver/scim/v2/Users/" + random.choice(known), token)
            record("read", code)

    threads = [threading.Thread(target=worker, args=item) for item in tenants.items()]
    for t in threads:
        t.start()
    time.sleep(args.kill_at)
    subprocess.run(["bash", CLUSTER, "kill", str(args.silo)], check=True, stdout=subprocess.DEVNULL)
    killed = time.monotonic() - start
    for t in threads:
        t.join()

    # Verification: every acknowledged create readable; no userName twice in any tenant.
    missing, duplicated, total = [], 0, 0
    for tenant, token in tenants.items():
        conn = [None]
        host = tenant + ".rfpio.com"
        for user, user_id in acked[tenant].items():
            code, body = call(conn, "GET", host, "/rfpserver/scim/v2/Users/" + user_id, token)
            if code != 200 or body.get("userName") != user:
                missing.append((tenant, user, code))
        names, index = [], 1
        while True:
            code, page = call(conn, "GET", host, "/rfpserver/scim/v2/Users?startIndex=%d&count=200" % index, token)
            assert code == 200, ("listing failed", tenant, code)
            names += [r["userName"] for r in page["Resources"]]
            index += page["itemsPerPage"]
            if index > page["totalResults"] or page["itemsPerPage"] == 0:
                break
        duplicated += len(names) - len(set(n.lower() for n in names))
        total += len(acked[tenant])

    after = [e for e in events if e[0] >= killed]
    errors_after = [e for e in after if e[2] not in (200, 201)]
    last_error = max((e[0] for e in errors_after), default=killed)
    by_status = collections.Counter(e[2] for e in events if e[2] not in (200, 201))
    print("tenants=%d seconds=%.0f killed silo%d at t=%.1fs" % (args.tenants, args.seconds, args.silo, killed))
    print("requests: %d (%d after the kill), errors: %d = %.2f%% of all, %.2f%% of those after the kill; by status: %s"
          % (len(events), len(after), sum(by_status.values()), 100.0 * sum(by_status.values()) / max(len(events), 1),
             100.0 * len(errors_after) / max(len(after), 1), dict(by_status) or "none"))
    print("time to recover (kill -> last error): %.1f s" % (last_error - killed))
    print("throughput before the kill: %.0f req/s; in the 10 s after recovery: %.0f req/s" % (
        sum(1 for e in events if e[0] < killed) / killed,
        sum(1 for e in events if last_error < e[0] <= last_error + 10) / 10.0))
    print("acknowledged creates: %d, unreadable afterwards: %d, duplicated userNames: %d" % (total, len(missing), duplicated))
    subprocess.run(["bash", CLUSTER, "restart", str(args.silo)], check=False, stdout=subprocess.DEVNULL)
    if missing or duplicated:
        print("FAILED:", missing[:10])
        raise SystemExit(1)


if __name__ == "__main__":
    main()
