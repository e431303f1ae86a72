# Common parameters that PowerShell handles for every cmdlet, checked where this module
# has to work around the engine.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-ContainerManagerModule
    Assert-TestEngine
}

Describe '-Debug' {
    # PowerShell 7 turns verbose and warning messages of a compiled cmdlet called with
    # -Debug into prompts, which fail under -NonInteractive, as schedulers run pwsh.
    It 'shows verbose and debug messages without a prompt under -NonInteractive' {
        $db = New-TestDatabase
        $output = Invoke-IsolatedPwsh @"
New-ContainerJob -Database '$db' -Image '$env:CM_TEST_IMAGE' -Command 'true' -Environment @{ MODE = 'x' } -Debug 5>&1 | Out-String
Get-ContainerJob -Database '$db' -Debug | Out-Null
Invoke-JobProcessor -Database '$db' -SingleRun -Wait -Debug 5>&1 | Out-String
"@
        $text = $output -join "`n"

        $text | Should -Not -Match 'NonInteractive mode'
        $text | Should -Match 'Using job store'
        $text | Should -Match 'Claimed job 1'
        $text | Should -Match 'MODE'
        (Get-ContainerJob -Database $db -Id 1).Status | Should -Be 'Completed'
    }

    It 'shows warnings on the debug stream without a prompt' {
        $db = New-TestDatabase
        $output = Invoke-IsolatedPwsh @"
New-EnvironmentTemplate -Database '$db' -Name 'dup' -Text "A=1``nA=2" -Debug 5>&1 | Out-String
"@

        ($output -join "`n") | Should -Match 'WARNING: .*A'
        (Get-EnvironmentTemplate -Database $db -Name 'dup').Name | Should -Be 'dup'
    }

    It 'keeps warnings on the warning stream when -WarningAction is given too' {
        $db = New-TestDatabase
        $output = Invoke-IsolatedPwsh @"
`$null = New-EnvironmentTemplate -Database '$db' -Name 'dup' -Text "A=1``nA=2" -Debug -WarningAction SilentlyContinue -WarningVariable w
`$w.Count
"@

        $output[-1] | Should -Be '1'
    }
}
