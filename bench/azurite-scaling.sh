#!/usr/bin/env bash
# Is Azurite's cost per table operation flat as a table grows? (It is not; see docs/benchmarks.md.)
#   bash bench/azurite-scaling.sh [rows]
source "$(dirname "$0")/lib.sh"
dotnet build -c Release bench/AzuriteScaling --nologo -v q >/dev/null
start_azurite
connection=${azure_settings[0]#--Storage:AzureStorage:ConnectionString=}
dotnet bench/AzuriteScaling/bin/Release/net10.0/RfpioGateway.AzuriteScaling.dll "$connection" "${1:-38400}"
