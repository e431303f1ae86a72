#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Measures how many trivial jobs per second the module runs through a continuous processor.

.DESCRIPTION
    Queues -Jobs jobs that run 'true' in $env:CM_TEST_IMAGE with New-ContainerJob into a new
    store, then starts 'Invoke-JobProcessor -MaxConcurrentJobs -PollIntervalSeconds' in a
    separate pwsh process and waits until every job has a final status. The time is taken from
    the job history in the store: from the first Claimed event to the last final event
    (Completed, Failed, TimedOut, Cancelled), so pwsh start-up and module import are not
    counted. The wall time from starting the processor process is reported as well.
    Prints one JSON object. Needs $env:DOCKER_HOST and $env:CM_TEST_IMAGE.

.EXAMPLE
    ./bench/Measure-ModuleThroughput.ps1 -ModulePath out/ContainerManager -WorkPath out/bench/tmp
#>
[CmdletBinding()]
param(
    # Folder of the built module (./build.ps1 Build writes out/ContainerManager).
    [Parameter(Mandatory)] [string] $ModulePath,

    # Folder for the store and the processor's log; created if missing.
    [Parameter(Mandatory)] [string] $WorkPath,

    # Number of jobs to queue.
    [ValidateRange(1, 100000)] [int] $Jobs = 200,

    # Passed to Invoke-JobProcessor -MaxConcurrentJobs.
    [ValidateRange(1, 1000)] [int] $MaxConcurrentJobs = 4,

    # Passed to Invoke-JobProcessor -PollIntervalSeconds.
    [ValidateRange(0.05, 3600)] [double] $PollIntervalSeconds = 0.05,

    # Seconds to wait for all jobs before giving up.
    [ValidateRange(1, 86400)] [int] $TimeoutSeconds = 900
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
$database = Join-Path (Resolve-Path $WorkPath).Path "throughput-$stamp.db"
$finalStatuses = 'Completed', 'Failed', 'TimedOut', 'Cancelled'

$queueWatch = [Diagnostics.Stopwatch]::StartNew()
for ($i = 0; $i -lt $Jobs; $i++) {
    New-ContainerJob -Database $database -Image $env:CM_TEST_IMAGE -Command true | Out-Null
}
$queueSeconds = $queueWatch.Elapsed.TotalSeconds

$wallWatch = [Diagnostics.Stopwatch]::StartNew()
$processor = Start-BenchProcessor -ModulePath $ModulePath -Database $database `
    -LogPath "$database.processor.log" -MaxConcurrentJobs $MaxConcurrentJobs -PollIntervalSeconds $PollIntervalSeconds
try {
    while ($true) {
        $done = @(Get-ContainerJob -Database $database -Status $finalStatuses).Count
        if ($done -ge $Jobs) { break }
        if ($processor.HasExited) {
            throw "The processor exited with code $($processor.ExitCode) after $done of $Jobs jobs; see $database.processor.log.err."
        }
        if ($wallWatch.Elapsed.TotalSeconds -gt $TimeoutSeconds) {
            throw "Only $done of $Jobs jobs finished within $TimeoutSeconds s."
        }
        Start-Sleep -Milliseconds 250
    }
    $wallSeconds = $wallWatch.Elapsed.TotalSeconds
}
finally {
    Stop-BenchProcessor -Process $processor
}

$jobsDone = Get-ContainerJob -Database $database
$events = $jobsDone | Get-ContainerJobEvent -Database $database
$firstClaim = ($events | Where-Object Kind -EQ 'Claimed' | Measure-Object -Property Time -Minimum).Minimum
$lastFinal = ($events | Where-Object Kind -In $finalStatuses | Measure-Object -Property Time -Maximum).Maximum
$seconds = ($lastFinal - $firstClaim).TotalSeconds

[ordered]@{
    benchmark            = 'module-throughput'
    mode                 = 'continuous'
    jobs                 = $Jobs
    maxConcurrentJobs    = $MaxConcurrentJobs
    pollIntervalSeconds  = $PollIntervalSeconds
    completed            = @($jobsDone | Where-Object Status -EQ 'Completed').Count
    failed               = @($jobsDone | Where-Object Status -NE 'Completed').Count
    queueSeconds         = [math]::Round($queueSeconds, 3)
    seconds              = [math]::Round($seconds, 3)
    jobsPerSecond        = [math]::Round($Jobs / $seconds, 2)
    wallSecondsFromSpawn = [math]::Round($wallSeconds, 3)
    database             = $database
    measuredAt           = (Get-Date).ToUniversalTime().ToString('o')
} | ConvertTo-Json
