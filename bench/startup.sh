#!/usr/bin/env bash
# bench/startup.sh: how long the test fixture (Pagebox.Testing's PageboxServer.StartAsync) takes to start and answer
# a first call, warm, beside a bare Kestrel WebApplication started the same way in the same process (bench/Startup).
#
#   bench/startup.sh [--runs N] [--warmup N]
#
# Prints p50/p90/max of both and their ratio, with the load average before and after (docs/benchmarks.md).
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$root"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
timeout 600 dotnet build bench/Startup/Startup.csproj -c Release --nologo -v q -tl:off >/dev/null
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
dotnet bench/Startup/bin/Release/net10.0/Startup.dll "$@"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
