"""What the Python benchmarks share: keep-alive HTTP per thread, CPU seconds of a process from /proc, and a Release
silo and gateway started on ports of their own (each benchmark's, so two never collide)."""
import http.client, json, os, subprocess, tempfile, threading, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
_local = threading.local()


def call(port, method, path, body=None, headers=None):
    """One request on this thread's keep-alive connection to 127.0.0.1:port (reconnecting up to three times)."""
    key = f"c{port}"
    for _ in range(3):
        try:
            if not hasattr(_local, key):
                setattr(_local, key, http.client.HTTPConnection("127.0.0.1", port, timeout=120))
            c = getattr(_local, key)
            c.request(method, path, body=body, headers=headers or {})
            r = c.getresponse()
            return r.status, r.read()
        except (ConnectionError, http.client.HTTPException):
            _local.__dict__.pop(key, None)
    raise RuntimeError(f"{method} {path} failed three times")


def admin_call(port, key, method, path, body=None):
    """The operator API on a silo: JSON in and out; any status from 300 up raises."""
    status, data = call(port, method, "/admin/v1" + path, json.dumps(body) if body is not None else None,
                        {"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    if status >= 300:
        raise RuntimeError(f"{method} {path}: {status} {data[:200]}")
    return json.loads(data) if data else None


def cpu_seconds(pid):
    """utime + stime of a process, in seconds."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def switches_and_syscalls(pid):
    """Context switches (all threads, voluntary + involuntary) and read/write system calls of a process so far: counts
    of work done, steadier than CPU time on a shared machine, so they show whether a change removed hops or I/O."""
    switches = 0
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/status") as f:
                for line in f:
                    if line.startswith(("voluntary_ctxt_switches", "nonvoluntary_ctxt_switches")):
                        switches += int(line.split()[1])
        except FileNotFoundError:
            pass  # a thread that ended between the listing and the read
    with open(f"/proc/{pid}/io") as f:
        io = dict(line.split(": ") for line in f.read().splitlines())
    return switches, int(io["syscr"]) + int(io["syscw"])


def wait_ready(port, path):
    for _ in range(240):
        try:
            if call(port, "GET", path)[0] == 200:
                return
        except Exception:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"nothing answered {path} on {port}")


def build(*projects):
    for project in projects:
        subprocess.run(["dotnet", "build", "-c", "Release", os.path.join(ROOT, project), "--nologo", "-v", "q"], check=True, stdout=subprocess.DEVNULL)


def start_silo(port, provider, admin_key, silo_port, gateway_port, *settings):
    """A Release silo on 127.0.0.1:port with its SQLite file in a fresh temporary folder; returns once it answers."""
    # RFPIO_SILO_DLL runs another build of the silo (a ReadyToRun publish, say) with everything else the same.
    dll = os.environ.get("RFPIO_SILO_DLL") or os.path.join(ROOT, "src/Silo/bin/Release/net10.0/RfpioGateway.Silo.dll")
    silo = subprocess.Popen(["dotnet", dll,
                             "--contentRoot", os.path.join(ROOT, "src/Silo"), f"--Urls=http://127.0.0.1:{port}",
                             f"--Storage:Provider={provider}", f"--Storage:Sqlite:Path={os.path.join(tempfile.mkdtemp(), 'bench.db')}",
                             f"--Admin:ApiKey={admin_key}", f"--Orleans:SiloPort={silo_port}", f"--Orleans:GatewayPort={gateway_port}",
                             "--Logging:LogLevel:Default=Warning", *settings],
                            env=dict(os.environ, ASPNETCORE_ENVIRONMENT="Production"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_ready(port, "/health/live")
    return silo


def start_gateway(port, silo_port, *settings):
    """A Release gateway on 127.0.0.1:port in front of the silo on silo_port; returns once it is ready."""
    gateway = subprocess.Popen(["dotnet", os.path.join(ROOT, "src/Gateway/bin/Release/net10.0/RfpioGateway.Gateway.dll"),
                                "--contentRoot", os.path.join(ROOT, "src/Gateway"), f"--Urls=http://127.0.0.1:{port}",
                                f"--ReverseProxy:Clusters:silo:Destinations:silo1:Address=http://127.0.0.1:{silo_port}",
                                "--Logging:LogLevel:Default=Warning", *settings],
                               env=dict(os.environ, ASPNETCORE_ENVIRONMENT="Production"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_ready(port, "/health/ready")
    return gateway


def stop(*processes):
    for p in processes:
        if p is not None:
            p.terminate()
            p.wait(30)
