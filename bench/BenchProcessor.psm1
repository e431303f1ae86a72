# Starts and stops a continuous Invoke-JobProcessor in its own pwsh process, as a systemd
# service would run it, for the benchmark scripts in this folder.

function Get-PwshPath {
    # Under 'dotnet pwsh' the current process is dotnet, so pwsh is found in $PSHOME.
    $name = if ($IsWindows) { 'pwsh.exe' } else { 'pwsh' }
    return (Join-Path $PSHOME $name)
}

function Start-BenchProcessor {
    <#
    .SYNOPSIS
        Starts 'Invoke-JobProcessor' without -SingleRun on a store and returns the process.
    .PARAMETER PollIntervalSeconds
        Passed on as -PollIntervalSeconds; 0 leaves the cmdlet's default.
    #>
    param(
        [Parameter(Mandatory)] [string] $ModulePath,
        [Parameter(Mandatory)] [string] $Database,
        [Parameter(Mandatory)] [string] $LogPath,
        [int] $MaxConcurrentJobs = 4,
        [double] $PollIntervalSeconds = 0
    )

    $poll = if ($PollIntervalSeconds -gt 0) {
        " -PollIntervalSeconds $($PollIntervalSeconds.ToString([cultureinfo]::InvariantCulture))"
    } else { '' }
    # The manifest path, because importing a folder needs the folder named after the module.
    $manifest = Join-Path $ModulePath 'ContainerManager.psd1'
    $command = "Import-Module '$manifest'; " +
        "Invoke-JobProcessor -Database '$Database' -MaxConcurrentJobs $MaxConcurrentJobs$poll -DrainTimeoutSeconds 30"
    $arguments = @('-NoProfile', '-NonInteractive', '-Command', $command)
    return Start-Process -FilePath (Get-PwshPath) -ArgumentList $arguments -PassThru `
        -RedirectStandardOutput $LogPath -RedirectStandardError "$LogPath.err"
}

function Stop-BenchProcessor {
    <#
    .SYNOPSIS
        Sends SIGTERM, so the processor drains as under 'systemctl stop', and waits for it to exit.
    #>
    param([Parameter(Mandatory)] [System.Diagnostics.Process] $Process)

    if ($Process.HasExited) {
        throw "The processor (pid $($Process.Id)) exited early with code $($Process.ExitCode); see its log."
    }

    & kill -TERM $Process.Id
    if (-not $Process.WaitForExit(60000)) {
        throw "The processor (pid $($Process.Id)) did not exit within 60 s of SIGTERM."
    }
}

Export-ModuleMember -Function Start-BenchProcessor, Stop-BenchProcessor
