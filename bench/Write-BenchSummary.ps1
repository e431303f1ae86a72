#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Turns the JSON files that bench/run.sh wrote into summary.md and summary.json.

.DESCRIPTION
    Reads machine.json and the per-run results in -Path, computes each run's ratios against
    the baselines of the same run, and the median over runs, and writes summary.md (tables)
    and summary.json (the same numbers) into -Path.

.EXAMPLE
    ./bench/Write-BenchSummary.ps1 -Path out/bench/20261204T162000Z
#>
[CmdletBinding()]
param(
    # Results folder of one bench/run.sh call.
    [Parameter(Mandatory)] [string] $Path
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

function Read-Result([string] $Name) {
    $file = Join-Path $Path $Name
    if (-not (Test-Path $file)) { throw "The result file $file is missing; did bench/run.sh finish?" }
    return Get-Content -Raw $file | ConvertFrom-Json -DateKind String
}

function Get-Median([double[]] $Values) {
    $sorted = @($Values | Sort-Object)
    $middle = [math]::Floor($sorted.Count / 2)
    if ($sorted.Count % 2 -eq 1) { return $sorted[$middle] }
    return ($sorted[$middle - 1] + $sorted[$middle]) / 2
}

function Format-Number([double] $Value, [int] $Digits = 2) {
    return $Value.ToString("F$Digits", [cultureinfo]::InvariantCulture)
}

$machine = Read-Result 'machine.json'
$runs = @(Get-ChildItem $Path -Filter 'claims-*.json' | ForEach-Object { [int]($_.BaseName -replace '^claims-', '') } |
    Sort-Object)
if ($runs.Count -eq 0) { throw "No results in $Path; run bench/run.sh first." }

$throughput = foreach ($run in $runs) {
    $cli = Read-Result "cli-throughput-$run.json"
    $api = Read-Result "engine-throughput-$run.json"
    $module = Read-Result "module-throughput-$run.json"
    $faster = [math]::Max($cli.jobsPerSecond, $api.jobsPerSecond)
    [pscustomobject]@{
        Run = $run; Module = $module.jobsPerSecond; Cli = $cli.jobsPerSecond; Api = $api.jobsPerSecond
        Ratio = $module.jobsPerSecond / $faster; Failed = $module.failed
    }
}

$latency = foreach ($run in $runs) {
    $engine = Read-Result "engine-latency-$run.json"
    foreach ($poll in 'default', '0.1') {
        $module = Read-Result "module-latency-$poll-$run.json"
        [pscustomobject]@{
            Run = $run; Poll = $poll; P50 = $module.p50Milliseconds; P95 = $module.p95Milliseconds
            EngineP50 = $engine.p50Milliseconds; EngineP95 = $engine.p95Milliseconds
            Ratio = $module.p50Milliseconds / $engine.p50Milliseconds
        }
    }
}

$claims = foreach ($run in $runs) {
    foreach ($row in (Read-Result "claims-$run.json").results) {
        [pscustomobject]@{
            Run = $run; Batch = $row.batch; Large = $row.largeClaimsPerSecond
            Small = ($row.smallClaimsPerSecondFirst + $row.smallClaimsPerSecondLast) / 2
            Ratio = $row.ratioLargeToSmall; Select = $row.selectOnlyJobsPerSecond
        }
    }
}

$lines = [Collections.Generic.List[string]]::new()
$lines.Add("# Benchmark results $($machine.date)")
$lines.Add('')
$lines.Add("Machine: $($machine.nproc) CPUs, $([math]::Round($machine.memTotalKiB / 1MB, 1)) GiB memory, " +
    "kernel $($machine.kernel), Docker Engine $($machine.engineVersion) (API $($machine.engineApiVersion)), " +
    "image $($machine.image), commit $($machine.commit).")
$lines.Add('')
$lines.Add('## Throughput (200 jobs of `true`, concurrency 4), jobs/s')
$lines.Add('')
$lines.Add('| Run | Module | docker run (xargs -P4) | Engine API | Module / faster baseline |')
$lines.Add('|---|---|---|---|---|')
foreach ($row in $throughput) {
    $lines.Add("| $($row.Run) | $(Format-Number $row.Module) | $(Format-Number $row.Cli) | $(Format-Number $row.Api) | " +
        "$(Format-Number $row.Ratio) |")
}
$lines.Add("| median | $(Format-Number (Get-Median $throughput.Module)) | $(Format-Number (Get-Median $throughput.Cli)) | " +
    "$(Format-Number (Get-Median $throughput.Api)) | $(Format-Number (Get-Median $throughput.Ratio)) |")
$lines.Add('')
$lines.Add('## Dispatch latency (New-ContainerJob returning to State.StartedAt), ms')
$lines.Add('')
$lines.Add('| Run | Poll interval | Module p50 | Module p95 | Engine create+start p50 | Engine p95 | Module p50 / engine p50 |')
$lines.Add('|---|---|---|---|---|---|---|')
foreach ($row in $latency) {
    $lines.Add("| $($row.Run) | $($row.Poll) | $(Format-Number $row.P50 0) | $(Format-Number $row.P95 0) | " +
        "$(Format-Number $row.EngineP50 0) | $(Format-Number $row.EngineP95 0) | $(Format-Number $row.Ratio) |")
}
foreach ($poll in 'default', '0.1') {
    $rows = @($latency | Where-Object Poll -EQ $poll)
    $lines.Add("| median | $poll | $(Format-Number (Get-Median $rows.P50) 0) | $(Format-Number (Get-Median $rows.P95) 0) | " +
        "$(Format-Number (Get-Median $rows.EngineP50) 0) | $(Format-Number (Get-Median $rows.EngineP95) 0) | " +
        "$(Format-Number (Get-Median $rows.Ratio)) |")
}
$lines.Add('')
$lines.Add('## Claims (ClaimDueJobsAsync), claimed jobs/s')
$lines.Add('')
$lines.Add('| Run | Batch | 100,000 pending | 100 pending | Ratio | SELECT only, 100,000 pending |')
$lines.Add('|---|---|---|---|---|---|')
foreach ($row in $claims) {
    $lines.Add("| $($row.Run) | $($row.Batch) | $(Format-Number $row.Large 0) | $(Format-Number $row.Small 0) | " +
        "$(Format-Number $row.Ratio) | $(Format-Number $row.Select 0) |")
}
foreach ($batch in @($claims.Batch | Sort-Object -Unique)) {
    $rows = @($claims | Where-Object Batch -EQ $batch)
    $lines.Add("| median | $batch | $(Format-Number (Get-Median $rows.Large) 0) | $(Format-Number (Get-Median $rows.Small) 0) | " +
        "$(Format-Number (Get-Median $rows.Ratio)) | $(Format-Number (Get-Median $rows.Select) 0) |")
}

Set-Content -Path (Join-Path $Path 'summary.md') -Value $lines
[ordered]@{ machine = $machine; throughput = $throughput; latency = $latency; claims = $claims } |
    ConvertTo-Json -Depth 5 | Set-Content -Path (Join-Path $Path 'summary.json')
$lines | Write-Output
