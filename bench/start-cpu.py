#!/usr/bin/env python3
"""Time and silo CPU from process start to ready, for the build in bin/ (JIT) and a ReadyToRun publish, twice each.

    dotnet publish src/Silo/Silo.csproj -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o /tmp/silo-r2r
    python3 bench/start-cpu.py [/tmp/silo-r2r/RfpioGateway.Silo.dll]
"""
import os, sys, time
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nodes import start_silo, stop, cpu_seconds, wait_ready

R2R = sys.argv[1] if len(sys.argv) > 1 else "/tmp/silo-r2r/RfpioGateway.Silo.dll"
for label, dll in [("jit", ""), ("r2r", R2R), ("jit", ""), ("r2r", R2R)]:
    os.environ["RFPIO_SILO_DLL"] = dll
    started = time.time()
    silo = start_silo(5450, "Sqlite", "k", 11261, 30151)
    wait_ready(5450, "/health/ready")
    print(label, f"ready in {time.time() - started:.1f} s, silo CPU {cpu_seconds(silo.pid):.2f} s", flush=True)
    stop(silo)
