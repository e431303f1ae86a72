<#
.SYNOPSIS
    Measures the peak memory of a processor that captures a job's large output.

.DESCRIPTION
    For each size, queues one job that prints that many megabytes to stdout, then runs
    Invoke-JobProcessor -SingleRun -Wait in a separate pwsh process. That process reads its own
    peak resident set size (VmHWM in /proc/self/status, Linux only) after the run, so the number
    covers the whole capture and needs no sampling. Output beyond -LogCapBytes is dropped, so the
    peak should not grow with the size.

    Needs the built module (./build.ps1 Build) and an engine in $env:DOCKER_HOST with the image
    $env:CM_TEST_IMAGE, as tests/fixtures/test-engine.sh start provides.

.EXAMPLE
    dotnet pwsh -NoProfile -Command './bench/log-memory.ps1 -Megabytes 10, 200'
#>
[CmdletBinding()]
param(
    # Output sizes to measure, in MB (10^6 bytes).
    [ValidateRange(1, 10000)]
    [int[]] $Megabytes = @(10, 200),

    # Cap per stream passed to Invoke-JobProcessor -LogCapBytes.
    [ValidateRange(2, [int]::MaxValue)]
    [int] $LogCapBytes = 1MB,

    # Folder of the built module.
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/ContainerManager')
)

$ErrorActionPreference = 'Stop'
if (-not $env:CM_TEST_IMAGE) {
    throw 'CM_TEST_IMAGE is not set. Start the test engine with tests/fixtures/test-engine.sh start and source its env file.'
}

$manifest = Join-Path (Resolve-Path $ModulePath) 'ContainerManager.psd1'
Import-Module $manifest

# The child prints one line of JSON: the processor's summary counts and its own VmHWM in KiB.
$child = @'
param($Manifest, $Database, $Cap)
Import-Module $Manifest
$watch = [Diagnostics.Stopwatch]::StartNew()
$summary = Invoke-JobProcessor -Database $Database -SingleRun -Wait -LogCapBytes $Cap
$seconds = $watch.Elapsed.TotalSeconds
$peak = (Get-Content /proc/self/status | Where-Object { $_ -like 'VmHWM:*' }) -replace '\D', ''
[pscustomobject]@{ PeakKiB = [long]$peak; Seconds = $seconds; Completed = $summary.Completed } |
    ConvertTo-Json -Compress
'@
$childPath = Join-Path ([IO.Path]::GetTempPath()) "cm-bench-child-$PID.ps1"
Set-Content -Path $childPath -Value $child

$results = foreach ($size in $Megabytes) {
    $folder = Join-Path ([IO.Path]::GetTempPath()) "cm-bench-$([guid]::NewGuid().ToString('N'))"
    New-Item -ItemType Directory -Path $folder | Out-Null
    try {
        $database = Join-Path $folder 'jobs.db'
        $bytes = [long]$size * 1000000
        $job = New-ContainerJob -Database $database -Image $env:CM_TEST_IMAGE `
            -Command sh, -c, "head -c $bytes /dev/zero | tr '\0' x"
        $line = & dotnet pwsh -NoProfile -NonInteractive -File $childPath $manifest $database $LogCapBytes
        if ($LASTEXITCODE -ne 0) {
            throw "The processor process failed with exit code $LASTEXITCODE for the $size MB job: $line"
        }

        $measured = $line | Select-Object -Last 1 | ConvertFrom-Json
        $log = Get-ContainerJobLog -Database $database -Id $job.Id -Stream Stdout
        [pscustomobject]@{
            OutputMB     = $size
            PeakRssMiB   = [math]::Round($measured.PeakKiB / 1024, 1)
            Seconds      = [math]::Round($measured.Seconds, 1)
            StoredBytes  = $log.TotalBytes - $log.DroppedBytes
            DroppedBytes = $log.DroppedBytes
        }
    }
    finally {
        Remove-Item -Recurse -Force $folder
    }
}

Remove-Item $childPath
$results | Format-Table -AutoSize | Out-String | Write-Host
if ($results.Count -ge 2) {
    $ratio = $results[-1].PeakRssMiB / $results[0].PeakRssMiB
    Write-Host ("Peak RSS ratio {0} MB / {1} MB: {2:N2}" -f $results[-1].OutputMB, $results[0].OutputMB, $ratio)
}

$results
