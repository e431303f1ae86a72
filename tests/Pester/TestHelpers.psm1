# Shared setup for the Pester tests: imports the built module and gives each test file its
# own job store. Docker tests need DOCKER_HOST and CM_TEST_IMAGE (see
# tests/fixtures/test-engine.sh); without them the tests fail instead of skipping.

function Import-ContainerManagerModule {
    $modulePath = $env:CM_MODULE_PATH
    if (-not $modulePath) {
        $modulePath = Join-Path $PSScriptRoot '../../out/ContainerManager'
    }

    $manifest = Join-Path $modulePath 'ContainerManager.psd1'
    if (-not (Test-Path $manifest)) {
        throw "The module is not built at $modulePath. Run ./build.ps1 Build first."
    }

    Import-Module $manifest -Force -Global
}

function Assert-TestEngine {
    foreach ($name in 'DOCKER_HOST', 'CM_TEST_IMAGE', 'CM_TEST_REGISTRY') {
        if (-not [Environment]::GetEnvironmentVariable($name)) {
            throw "$name is not set. Run 'tests/fixtures/test-engine.sh start' and source the env file it prints."
        }
    }
}

function New-TestDatabase {
    # A fresh store per call, under the test drive, so tests never share jobs.
    $folder = Join-Path ([IO.Path]::GetTempPath()) ("cm-pester-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
    New-Item -ItemType Directory -Path $folder | Out-Null
    return (Join-Path $folder 'jobs.db')
}

function Initialize-TestStore {
    # Creates an empty store at the path, for tests that read it before any cmdlet that
    # creates stores has run (read cmdlets reject a path that names no store).
    param([Parameter(Mandatory)] [string] $Database)
    [ContainerManager.Core.Storage.SqliteJobStore]::Open($Database) | Out-Null
}

function Set-TestStoreImmutable {
    # Sets or, with -Off, clears the immutable attribute of a store file with chattr. Unlike
    # a file mode, it also stops root from writing the file. Call it with -Off in the test's
    # cleanup, or the file and its folder cannot be removed.
    param(
        [Parameter(Mandatory)] [string] $Database,
        [switch] $Off
    )
    # A connection opened before stays writable, so the pooled ones of this process close first.
    [Microsoft.Data.Sqlite.SqliteConnection]::ClearAllPools()
    $attribute = $Off ? '-i' : '+i'
    & chattr $attribute $Database
    if ($LASTEXITCODE -ne 0) {
        throw "'chattr $attribute $Database' failed with exit code $LASTEXITCODE."
    }
}

function Get-TestStoreId {
    # Returns the id of an existing store. It labels every container the store runs, so
    # engine-side checks count this test's containers only.
    param([Parameter(Mandatory)] [string] $Database)
    (Get-CmDiagnostic -Database $Database -HostTimeoutSeconds 2).StoreId
}

function Get-JobCount {
    # A store that was never created holds no jobs; read cmdlets reject its path.
    param([Parameter(Mandatory)] [string] $Database)
    if (-not (Test-Path -LiteralPath $Database)) {
        return 0
    }

    @(Get-ContainerJob -Database $Database).Count
}

function Get-PwshPath {
    # Under 'dotnet pwsh' the current process is dotnet, so the executable comes from $PSHOME.
    Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
}

function Invoke-IsolatedPwsh {
    # Runs a script in a new pwsh process that imports the built module, and returns
    # what it writes to the output stream as text lines.
    param([Parameter(Mandatory)] [string] $Script)
    $modulePath = if ($env:CM_MODULE_PATH) { $env:CM_MODULE_PATH } else { Join-Path $PSScriptRoot '../../out/ContainerManager' }
    $full = "`$ErrorActionPreference = 'Stop'; Import-Module '$modulePath/ContainerManager.psd1'; $Script"
    $output = & (Get-PwshPath) -NoProfile -NonInteractive -Command $full 2>&1
    if ($LASTEXITCODE -ne 0) {
        throw "The child pwsh failed with exit code ${LASTEXITCODE}: $output"
    }

    return $output
}

function Get-TemplateCount {
    param([Parameter(Mandatory)] [string] $Database)
    if (-not (Test-Path -LiteralPath $Database)) {
        return 0
    }

    @(Get-EnvironmentTemplate -Database $Database).Count
}

function New-TemplateFile {
    # Writes .env text next to the test database and returns the file's path. Lines are
    # joined with LF, so line numbers in assertions do not depend on the platform.
    param(
        [Parameter(Mandatory)] [string] $Database,
        [Parameter(Mandatory)] [string] $Name,
        [Parameter(Mandatory)] [AllowEmptyString()] [string[]] $Line
    )
    $path = Join-Path (Split-Path $Database) $Name
    [IO.File]::WriteAllText($path, (($Line -join "`n") + "`n"))
    return $path
}

function ConvertTo-SearchableText {
    # Renders captured output and stream records every way a user could see them (default
    # formatting, Format-Table *, Format-List *, ConvertTo-Json, error details) and returns one
    # string, so that a test can search all of it for a secret.
    param([Parameter(ValueFromPipeline)] [AllowNull()] $InputObject)
    begin {
        $parts = [Collections.Generic.List[string]]::new()
    }
    process {
        if ($null -eq $InputObject) {
            return
        }

        $parts.Add(($InputObject | Out-String -Width 500))
        if ($InputObject -is [Management.Automation.ErrorRecord]) {
            $parts.Add($InputObject.FullyQualifiedErrorId)
            $parts.Add($InputObject.Exception.ToString())
            $parts.Add("$($InputObject.TargetObject)")
            $parts.Add(($InputObject.TargetObject | ConvertTo-Json -Depth 10 -WarningAction Ignore))
            $parts.Add("$($InputObject.ErrorDetails)")
        }
        elseif ($InputObject -is [Management.Automation.InformationalRecord]) {
            $parts.Add($InputObject.Message)
        }
        elseif ($InputObject -is [Management.Automation.InformationRecord]) {
            $parts.Add("$($InputObject.MessageData)")
        }
        else {
            $parts.Add(($InputObject | Format-Table * | Out-String -Width 500))
            $parts.Add(($InputObject | Format-List * | Out-String -Width 500))
            $parts.Add(($InputObject | ConvertTo-Json -Depth 10 -WarningAction Ignore))
        }
    }
    end {
        return ($parts -join "`n")
    }
}

Export-ModuleMember -Function Get-PwshPath, Import-ContainerManagerModule, Assert-TestEngine, New-TestDatabase,
    Get-JobCount, Get-TestStoreId, Initialize-TestStore, Set-TestStoreImmutable, Invoke-IsolatedPwsh, Get-TemplateCount, New-TemplateFile, ConvertTo-SearchableText
