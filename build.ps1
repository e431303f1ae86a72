#!/usr/bin/env pwsh
<#
.SYNOPSIS
    Builds and tests the ContainerManager module.

.DESCRIPTION
    Build publishes the module into out/ContainerManager, ready for Import-Module.
    Sample builds, then queues and runs one sample job on the local engine.
    Test builds, runs the xunit tests, then runs the Pester tests in a new pwsh process
    against the built module. The Docker tests need an engine: set DOCKER_HOST and
    CM_TEST_IMAGE, for example by sourcing the env file that
    tests/fixtures/test-engine.sh start prints.

.EXAMPLE
    ./build.ps1 Build

.EXAMPLE
    ./build.ps1 Test
#>
[CmdletBinding()]
param(
    # Tasks to run, in order.
    [Parameter(Position = 0)]
    [ValidateSet('Clean', 'Build', 'Sample', 'UnitTest', 'PesterTest', 'Test')]
    [string[]] $Task = @('Build'),

    # Build configuration.
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Folder that receives the module.
    [string] $OutputPath = (Join-Path $PSScriptRoot 'out/ContainerManager')
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$PesterVersion = '5.7.1'

function Invoke-Native {
    param([string] $Command, [string[]] $Arguments)
    & $Command @Arguments
    if ($LASTEXITCODE -ne 0) {
        throw "'$Command $($Arguments -join ' ')' failed with exit code $LASTEXITCODE."
    }
}

function Invoke-Clean {
    Remove-Item -Recurse -Force -ErrorAction SilentlyContinue $OutputPath, (Join-Path $PSScriptRoot 'out/test-results')
}

function Invoke-Build {
    $project = Join-Path $PSScriptRoot 'src/ContainerManager.PowerShell/ContainerManager.PowerShell.csproj'
    if (Test-Path $OutputPath) {
        Remove-Item -Recurse -Force $OutputPath
    }

    # A portable publish keeps runtimes/<rid>/native for every platform; the module's
    # initializer loads native SQLite from there because pwsh does not read deps.json.
    Invoke-Native dotnet @('publish', $project, '-c', $Configuration, '-o', $OutputPath, '--nologo', '-v', 'quiet')
    Copy-Item (Join-Path $PSScriptRoot 'module/*') $OutputPath

    # pwsh brings its own System.Management.Automation; a second copy would shadow it.
    Get-ChildItem $OutputPath -Filter 'System.Management.Automation*' | Remove-Item
    Get-ChildItem $OutputPath -Filter '*.pdb' | Remove-Item
    Write-Host "Module published to $OutputPath"
}

function Invoke-UnitTest {
    $results = Join-Path $PSScriptRoot 'out/test-results'
    Invoke-Native dotnet @(
        'test', (Join-Path $PSScriptRoot 'tests/Unit/ContainerManager.Tests.csproj'),
        '-c', $Configuration, '--nologo',
        '--logger', 'console;verbosity=normal',
        '--logger', 'trx;LogFileName=unit.trx',
        '--results-directory', $results
    )
}

function Get-TestResult {
    # Reads the xunit (trx) and Pester (NUnit XML) results of this run: the counts, and
    # the name and message of every failed test, so that the end of a long log says
    # what failed without scrolling back.
    $results = Join-Path $PSScriptRoot 'out/test-results'
    $passed = 0
    $failures = [System.Collections.Generic.List[object]]::new()
    $trx = Join-Path $results 'unit.trx'
    if (Test-Path $trx) {
        $run = ([xml](Get-Content -Raw $trx)).TestRun
        $passed += [int]$run.ResultSummary.Counters.passed
        foreach ($result in @($run.Results.UnitTestResult | Where-Object outcome -eq 'Failed')) {
            $failures.Add([pscustomobject]@{
                    Name    = "xunit: $($result.testName)"
                    Message = [string]$result.Output.ErrorInfo.Message
                })
        }
    }

    $nunit = Join-Path $results 'pester.xml'
    if (Test-Path $nunit) {
        $document = [xml](Get-Content -Raw $nunit)
        foreach ($case in $document.SelectNodes('//test-case')) {
            switch ($case.result) {
                'Success' { $passed++ }
                { $_ -in 'Failure', 'Error' } {
                    $failures.Add([pscustomobject]@{
                            Name    = "Pester: $($case.name)"
                            Message = [string]$case.failure.message
                        })
                }
            }
        }
    }

    return [pscustomobject]@{ Passed = $passed; Failures = $failures }
}

function Write-TestSummary {
    param([object] $Result)
    foreach ($failure in $Result.Failures) {
        Write-Host "FAILED $($failure.Name)"
        # The first lines carry the assertion; stack traces are in the log above.
        $lines = @($failure.Message -split "`n" | Select-Object -First 6)
        foreach ($line in $lines) {
            Write-Host "    $($line.TrimEnd())"
        }
    }

    Write-Host "Tests: $($Result.Passed) passed, $($Result.Failures.Count) failed"
}

function Get-PesterPath {
    Invoke-Native dotnet @('restore', (Join-Path $PSScriptRoot 'build/Pester.csproj'), '--nologo', '-v', 'quiet')
    $packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path $HOME '.nuget/packages' }
    $manifest = Join-Path $packages "pester/$PesterVersion/tools/Pester.psd1"
    if (-not (Test-Path $manifest)) {
        throw "Pester $PesterVersion was restored, but $manifest is missing."
    }

    return $manifest
}

function Get-PwshPath {
    # Under 'dotnet pwsh' the process is dotnet itself, so the executable is found in
    # $PSHOME rather than from the current process.
    $name = if ($IsWindows) { 'pwsh.exe' } else { 'pwsh' }
    return (Join-Path $PSHOME $name)
}

function Invoke-PesterTest {
    if (-not (Test-Path (Join-Path $OutputPath 'ContainerManager.psd1'))) {
        throw "The module is not built at $OutputPath. Run ./build.ps1 Build first."
    }

    $pester = Get-PesterPath
    $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$pester'
`$config = New-PesterConfiguration
`$config.Run.Path = '$(Join-Path $PSScriptRoot 'tests/Pester')'
`$config.Run.Exit = `$true
`$config.Output.Verbosity = 'Detailed'
`$config.TestResult.Enabled = `$true
`$config.TestResult.OutputPath = '$(Join-Path $PSScriptRoot 'out/test-results/pester.xml')'
Invoke-Pester -Configuration `$config
"@
    # A separate process, so the tests import the built module into a clean session.
    $env:CM_MODULE_PATH = $OutputPath
    Invoke-Native (Get-PwshPath) @('-NoProfile', '-NonInteractive', '-Command', $script)
}

foreach ($name in $Task) {
    switch ($name) {
        'Clean' { Invoke-Clean }
        'Build' { Invoke-Build }
        'Sample' {
            Invoke-Build
            & (Join-Path $PSScriptRoot 'examples/Invoke-SampleJob.ps1') -ModulePath $OutputPath
        }
        'UnitTest' { Invoke-UnitTest }
        'PesterTest' { Invoke-PesterTest }
        'Test' {
            Invoke-Clean
            Invoke-Build
            # Pester runs even when xunit fails, so one run reports every failure.
            $errors = @()
            foreach ($step in @({ Invoke-UnitTest }, { Invoke-PesterTest })) {
                try {
                    & $step
                }
                catch {
                    $errors += $_
                }
            }

            Write-TestSummary (Get-TestResult)
            if ($errors) {
                throw $errors[0]
            }
        }
    }
}
