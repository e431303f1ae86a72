#!/usr/bin/env bash
# Runs the three ContainerManager benchmarks against an engine that is already running and
# writes raw JSON results and a summary under out/bench/<UTC time>/.
#
#   source "$(bash tests/fixtures/test-engine.sh start)"   # or any engine: DOCKER_HOST
#   dotnet pwsh ./build.ps1 Build                           # out/ContainerManager
#   bash bench/run.sh [--runs N]
#
# Starts no engine and builds only the bench console program. Needs DOCKER_HOST and
# CM_TEST_IMAGE (an image already on that engine with a 'true' command), the docker CLI and
# a built module. Every benchmark runs --runs times (default 2) and each run measures its
# baselines next to the module, so ratios compare numbers taken under the same load.
set -euo pipefail

usage() {
  sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit "${1:-2}"
}

fail() {
  printf 'bench: %s\n' "$*" >&2
  exit 1
}

runs=2
while [ $# -gt 0 ]; do
  case "$1" in
    --runs)
      [ $# -ge 2 ] || fail "--runs is missing its value"
      runs="$2"
      shift 2
      ;;
    -h | --help) usage 0 ;;
    *) printf 'bench: unknown argument %s\n' "$1" >&2; usage ;;
  esac
done
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || fail "--runs is invalid: expected a positive whole number, not '$runs'"

cd "$(dirname "$0")/.."
[ -n "${DOCKER_HOST:-}" ] || fail "DOCKER_HOST is not set: source the env file that tests/fixtures/test-engine.sh start prints"
[ -n "${CM_TEST_IMAGE:-}" ] || fail "CM_TEST_IMAGE is not set: source the env file that tests/fixtures/test-engine.sh start prints"
command -v docker >/dev/null 2>&1 || fail "the docker CLI is missing: install the docker.io package"
docker image inspect "$CM_TEST_IMAGE" >/dev/null 2>&1 ||
  fail "the engine at $DOCKER_HOST has no image $CM_TEST_IMAGE (or does not answer)"
[ -f out/ContainerManager/ContainerManager.psd1 ] ||
  fail "the module is not built at out/ContainerManager: run 'dotnet pwsh ./build.ps1 Build' first"

results="out/bench/$(date -u +%Y%m%dT%H%M%SZ)"
work="$results/work"
mkdir -p "$work"
printf 'bench: writing results to %s\n' "$results" >&2

dotnet build bench/ContainerManager.Bench -c Release --nologo -v quiet >&2
driver=bench/ContainerManager.Bench/bin/Release/net10.0/ContainerManager.Bench
pwsh_script() { dotnet pwsh -NoProfile -NonInteractive -File "$@"; }

cat >"$results/machine.json" <<JSON
{
  "date": "$(date -u +%Y-%m-%dT%H:%M:%SZ)",
  "nproc": $(nproc),
  "memTotalKiB": $(awk '/^MemTotal:/ { print $2 }' /proc/meminfo),
  "kernel": "$(uname -r)",
  "engineVersion": "$(docker version --format '{{.Server.Version}}')",
  "engineApiVersion": "$(docker version --format '{{.Server.APIVersion}}')",
  "dockerHost": "$DOCKER_HOST",
  "image": "$CM_TEST_IMAGE",
  "commit": "$(git rev-parse --short HEAD)"
}
JSON

# The docker CLI baseline: one 'docker run' process per job, four at a time.
xargs_throughput() {
  local start end
  start=$(date +%s.%N)
  seq 200 | xargs -P4 -I{} docker run --rm --network none "$CM_TEST_IMAGE" true
  end=$(date +%s.%N)
  awk -v s="$start" -v e="$end" 'BEGIN {
    printf "{\n  \"benchmark\": \"cli-throughput\",\n  \"jobs\": 200,\n  \"concurrency\": 4,\n"
    printf "  \"seconds\": %.3f,\n  \"jobsPerSecond\": %.2f\n}\n", e - s, 200 / (e - s) }'
}

for run in $(seq 1 "$runs"); do
  printf 'bench: run %s of %s: throughput\n' "$run" "$runs" >&2
  xargs_throughput >"$results/cli-throughput-$run.json"
  "$driver" engine-throughput --jobs 200 --concurrency 4 >"$results/engine-throughput-$run.json"
  pwsh_script bench/Measure-ModuleThroughput.ps1 -ModulePath out/ContainerManager -WorkPath "$work" \
    -Jobs 200 -MaxConcurrentJobs 4 -PollIntervalSeconds 0.05 >"$results/module-throughput-$run.json"

  printf 'bench: run %s of %s: dispatch latency\n' "$run" "$runs" >&2
  "$driver" engine-latency --samples 30 >"$results/engine-latency-$run.json"
  pwsh_script bench/Measure-DispatchLatency.ps1 -ModulePath out/ContainerManager -WorkPath "$work" \
    -Samples 30 >"$results/module-latency-default-$run.json"
  pwsh_script bench/Measure-DispatchLatency.ps1 -ModulePath out/ContainerManager -WorkPath "$work" \
    -Samples 30 -PollIntervalSeconds 0.1 >"$results/module-latency-0.1-$run.json"

  printf 'bench: run %s of %s: claims\n' "$run" "$runs" >&2
  "$driver" claims --dir "$work/claims" --large 100000 --small 100 --claims 3000 --batches 1,10 \
    >"$results/claims-$run.json"
done

pwsh_script bench/Write-BenchSummary.ps1 -Path "$results"
printf 'bench: summary in %s/summary.md\n' "$results" >&2
