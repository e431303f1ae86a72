#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Measures the time from New-ContainerJob returning to the container's start on the engine.

.DESCRIPTION
    Starts an idle continuous 'Invoke-JobProcessor' in a separate pwsh process, runs one
    warm-up job, then queues -Samples jobs that run 'true' in $env:CM_TEST_IMAGE, one at a
    time. Each sample is the time from New-ContainerJob returning to the job's StartedAt,
    which the processor copies from the engine's State.StartedAt (engine and script share
    this machine's clock). The next job is queued after the previous one finished and a
    random pause of 0.5 to 1.5 s, so the samples fall at random points of the poll interval.
    Prints one JSON object with p50, p95 and the raw samples. Needs $env:DOCKER_HOST and
    $env:CM_TEST_IMAGE.

.EXAMPLE
    ./bench/Measure-DispatchLatency.ps1 -ModulePath out/ContainerManager -WorkPath out/bench/tmp -PollIntervalSeconds 0.1
#>
[CmdletBinding()]
param(
    # Folder of the built module (./build.ps1 Build writes out/ContainerManager).
    [Parameter(Mandatory)] [string] $ModulePath,

    # Folder for the store and the processor's log; created if missing.
    [Parameter(Mandatory)] [string] $WorkPath,

    # Number of timed jobs.
    [ValidateRange(1, 10000)] [int] $Samples = 30,

    # Passed to Invoke-JobProcessor -PollIntervalSeconds; 0 keeps the cmdlet's default.
    [ValidateRange(0, 3600)] [double] $PollIntervalSeconds = 0,

    # Seconds to wait for one job to start or finish before giving up.
    [ValidateRange(1, 3600)] [int] $TimeoutSeconds = 120
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

if (-not $env:DOCKER_HOST -or -not $env:CM_TEST_IMAGE) {
    throw 'DOCKER_HOST and CM_TEST_IMAGE must be set; source the env file that tests/fixtures/test-engine.sh start prints.'
}

$ModulePath = (Resolve-Path $ModulePath).Path
Import-Module (Join-Path $ModulePath 'ContainerManager.psd1')
Import-Module (Join-Path $PSScriptRoot 'BenchProcessor.psm1')
New-Item -ItemType Directory -Force $WorkPath | Out-Null
$stamp = Get-Date -Format 'yyyyMMddHHmmssfff'
$database = Join-Path (Resolve-Path $WorkPath).Path "latency-$stamp.db"
$finalStatuses = 'Completed', 'Failed', 'TimedOut', 'Cancelled'

function Wait-Job {
    # Polls the store until the job matches $Condition, and returns the job.
    param([long] $Id, [scriptblock] $Condition, [string] $What)

    $watch = [Diagnostics.Stopwatch]::StartNew()
    while ($true) {
        $job = Get-ContainerJob -Database $database -Id $Id
        if (& $Condition $job) { return $job }
        if ($processor.HasExited) {
            throw "The processor exited with code $($processor.ExitCode); see $database.processor.log.err."
        }
        if ($watch.Elapsed.TotalSeconds -gt $TimeoutSeconds) {
            throw "Job $Id did not $What within $TimeoutSeconds s; it is $($job.Status)."
        }
        Start-Sleep -Milliseconds 20
    }
}

$isFinal = { param($job) $job.Status -in $finalStatuses }
$hasStarted = { param($job) $null -ne $job.StartedAt -or $job.Status -in $finalStatuses }

# An empty store exists before the processor starts, so the processor never waits on its
# creation. Test-ExecutorHost creates it and checks the engine on the way.
Test-ExecutorHost -Database $database -Quiet | Out-Null
$processor = Start-BenchProcessor -ModulePath $ModulePath -Database $database `
    -LogPath "$database.processor.log" -PollIntervalSeconds $PollIntervalSeconds
$latencies = [Collections.Generic.List[double]]::new()
try {
    $warmUp = New-ContainerJob -Database $database -Image $env:CM_TEST_IMAGE -Command true
    Wait-Job -Id $warmUp.Id -Condition $isFinal -What 'finish' | Out-Null

    for ($i = 0; $i -lt $Samples; $i++) {
        Start-Sleep -Milliseconds (Get-Random -Minimum 500 -Maximum 1500)
        $job = New-ContainerJob -Database $database -Image $env:CM_TEST_IMAGE -Command true
        $queued = [DateTimeOffset]::UtcNow
        $started = Wait-Job -Id $job.Id -Condition $hasStarted -What 'start'
        if ($null -eq $started.StartedAt) {
            throw "Job $($job.Id) ended $($started.Status) without a start time: $($started.ErrorMessage)"
        }
        $latencies.Add(($started.StartedAt - $queued).TotalMilliseconds)
        Wait-Job -Id $job.Id -Condition $isFinal -What 'finish' | Out-Null
    }
}
finally {
    Stop-BenchProcessor -Process $processor
}

function Get-Percentile {
    # Linear interpolation between the closest ranks, as the bench console program does.
    param([double[]] $Values, [double] $Percent)
    $sorted = $Values | Sort-Object
    $rank = $Percent / 100 * ($sorted.Count - 1)
    $low = [math]::Floor($rank)
    $high = [math]::Ceiling($rank)
    return $sorted[$low] + ($sorted[$high] - $sorted[$low]) * ($rank - $low)
}

[ordered]@{
    benchmark           = 'module-latency'
    pollIntervalSeconds = if ($PollIntervalSeconds -gt 0) { $PollIntervalSeconds } else { 'default' }
    samples             = $latencies.Count
    p50Milliseconds     = [math]::Round((Get-Percentile $latencies 50), 1)
    p95Milliseconds     = [math]::Round((Get-Percentile $latencies 95), 1)
    rawMilliseconds     = @($latencies | ForEach-Object { [math]::Round($_, 1) })
    database            = $database
    measuredAt          = (Get-Date).ToUniversalTime().ToString('o')
} | ConvertTo-Json
