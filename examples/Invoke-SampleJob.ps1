#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Queues one sample job, runs it on the local Docker engine and shows the result.

.DESCRIPTION
    Uses the module built in out/ContainerManager and a throw-away job store, so it leaves
    nothing behind but the engine's image cache. The engine is $env:DOCKER_HOST, else the
    platform's default socket.

.EXAMPLE
    ./examples/Invoke-SampleJob.ps1 -Image busybox:1.36
#>
[CmdletBinding()]
param(
    # Image to run; it needs /bin/sh. Defaults to the test image when the test engine runs.
    [string] $Image = $(if ($env:CM_TEST_IMAGE) { $env:CM_TEST_IMAGE } else { 'busybox:1.36' }),

    # Folder of the built module.
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/ContainerManager')
)

$ErrorActionPreference = 'Stop'
Import-Module (Join-Path $ModulePath 'ContainerManager.psd1') -Force

$database = Join-Path ([IO.Path]::GetTempPath()) "cm-sample-$PID.db"
try {
    $job = New-ContainerJob -Database $database -Image $Image -Name 'sample' -MemoryMiB 64 -TimeoutSeconds 60 `
        -Command 'sh', '-c', 'echo "hello from job container $(hostname)"; echo "a warning on stderr" >&2'
    Write-Host "Queued job $($job.Id); running the processor once and waiting for the job..."

    Invoke-JobProcessor -Database $database -SingleRun -Wait | Format-Table | Out-Host

    Get-ContainerJob -Database $database -Id $job.Id |
        Format-List Id, Name, Image, Status, ExitCode, StartedAt, CompletedAt, ErrorMessage | Out-Host
    Get-ContainerJobLog -Database $database -Id $job.Id | Out-Host
}
finally {
    Remove-Item -Force -ErrorAction SilentlyContinue $database, "$database-wal", "$database-shm"
}
