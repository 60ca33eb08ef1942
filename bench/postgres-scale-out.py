#!/usr/bin/env python3
"""Scale-out on PostgreSQL: the same mixed many-tenant load (tools/LoadTest: Entra-style initial sync, then an
incremental cycle) on the local cluster with 1, 2 and 3 silos (deploy/local/cluster.sh up --storage postgres
--silos N), with the CPU each process spent per request, read from /proc around the measured run.

    python3 bench/postgres-scale-out.py [--silos 1 2 3] [--tenants 100] [--users 100]

Everything shares this machine's cores, so throughput cannot grow with silos here; CPU-ms per request per process
is what predicts silos on machines of their own. Each cluster starts empty (a new scratch folder); a smaller warm-up
run precedes the measured one so JIT tiering is done.
"""
import argparse
import json
import os
import subprocess
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLUSTER = os.path.join(ROOT, "deploy", "local", "cluster.sh")
TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid, children=False):
    """utime + stime (and, for a parent that reaps, its reaped children's) of a process, in seconds."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12]) + ((int(fields[13]) + int(fields[14])) if children else 0)
    return ticks / TICK


def postgres_seconds(state):
    """The server's CPU: the postmaster with the backends it reaped, plus the backends alive now."""
    with open(os.path.join(state, "postgres", "data", "postmaster.pid")) as f:
        postmaster = int(f.readline())
    total = cpu_seconds(postmaster, children=True)
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    parent = int(stat.read().rsplit(")", 1)[1].split()[1])
                if parent == postmaster:
                    total += cpu_seconds(int(entry))
            except (OSError, ValueError):
                pass
    return total


def pid_of(state, name):
    with open(os.path.join(state, f"{name}.pid")) as f:
        return int(f.read())


def load(state, tenants, users, out, prefix):
    subprocess.run(["dotnet", os.path.join(ROOT, "tools", "LoadTest", "bin", "Release", "net10.0", "RfpioGateway.LoadTest.dll"),
                    "--admin-key-file", os.path.join(state, "admin-api-key"), "--tenants", str(tenants), "--users", str(users),
                    "--cycles", "1", "--tenant-concurrency", "2", "--prefix", prefix, "--out", out, "--no-live"],
                   check=True, stdout=subprocess.DEVNULL)
    with open(os.path.join(out, "report.json")) as f:
        return json.load(f)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--silos", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--tenants", type=int, default=100)
    parser.add_argument("--users", type=int, default=100)
    a = parser.parse_args()
    subprocess.run(["dotnet", "build", "-c", "Release", os.path.join(ROOT, "tools", "LoadTest"), "--nologo", "-v", "q"], check=True, stdout=subprocess.DEVNULL)
    print(f"tools/LoadTest --tenants {a.tenants} --users {a.users} --cycles 1 --tenant-concurrency 2; PostgreSQL, gateway, silos and load tool on the same cores")
    print("| silos | req/s | users created/s | p50 / p99 | CPU-ms per request: each silo | all silos | gateway | PostgreSQL | load tool |")
    print("| ---: | ---: | ---: | --- | --- | ---: | ---: | ---: | ---: |")
    for n in a.silos:
        scratch = tempfile.mkdtemp()
        os.chmod(scratch, 0o755)  # the PostgreSQL server (the postgres account where we are root) lives under it
        state = os.path.join(scratch, "cluster")
        env = dict(os.environ, RFPIO_CLUSTER_DIR=state)
        subprocess.run(["bash", CLUSTER, "up", "--storage", "postgres", "--silos", str(n)], env=env, check=True, stdout=subprocess.DEVNULL)
        try:
            load(state, max(10, a.tenants // 5), a.users, os.path.join(scratch, "warm"), "warm")
            silos = [pid_of(state, f"silo{i}") for i in range(1, n + 1)]
            gateway = pid_of(state, "gateway")
            before = ([cpu_seconds(p) for p in silos], cpu_seconds(gateway), postgres_seconds(state), cpu_seconds(os.getpid(), children=True))
            report = load(state, a.tenants, a.users, os.path.join(scratch, "measured"), "scale")
            after = ([cpu_seconds(p) for p in silos], cpu_seconds(gateway), postgres_seconds(state), cpu_seconds(os.getpid(), children=True))
            requests = report["requests"]
            per = lambda seconds: seconds * 1000 / requests
            each = [per(b - a_) for a_, b in zip(before[0], after[0])]
            print(f"| {n} | {report['requestsPerSecond']:,.0f} | {report['usersCreatedPerSecond']:,.0f} | {report['p50Ms']:.0f} / {report['p99Ms']:.0f} ms"
                  f" | {' · '.join(f'{c:.2f}' for c in each)} | {sum(each):.2f} | {per(after[1] - before[1]):.2f}"
                  f" | {per(after[2] - before[2]):.2f} | {per(after[3] - before[3]):.2f} |", flush=True)
        finally:
            subprocess.run(["bash", CLUSTER, "down", "--purge"], env=env, stdout=subprocess.DEVNULL)


if __name__ == "__main__":
    main()
