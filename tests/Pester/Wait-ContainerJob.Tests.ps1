BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-ContainerManagerModule
    Assert-TestEngine
}

Describe 'Wait-ContainerJob' {
    BeforeEach {
        $db = New-TestDatabase
    }

    It 'returns the job once it has finished' {
        $job = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -Command 'sh', '-c', 'sleep 1; exit 4'
        Invoke-JobProcessor -Database $db -SingleRun | Out-Null
        $harvester = Start-ThreadJob {
            param($module, $db)
            Import-Module $module
            Start-Sleep -Seconds 2
            Invoke-JobProcessor -Database $db -SingleRun | Out-Null
        } -ArgumentList (Join-Path $env:CM_MODULE_PATH 'ContainerManager.psd1'), $db

        $done = $job | Wait-ContainerJob -Database $db -TimeoutSeconds 30
        $harvester | Wait-Job | Remove-Job

        $done.Id | Should -Be $job.Id
        $done.Status | Should -Be 'Failed'
        $done.ExitCode | Should -Be 4
    }

    It 'writes WaitTimedOut for a job that does not finish in time' {
        $job = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE

        $result = Wait-ContainerJob -Database $db -Id $job.Id -TimeoutSeconds 1 -ErrorAction SilentlyContinue -ErrorVariable failures

        $result | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -Be 'WaitTimedOut,ContainerManager.PowerShell.Commands.WaitContainerJobCommand'
        $failures[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
    }

    It 'warns once that no processor runs for a queued job' {
        $job = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE

        Wait-ContainerJob -Database $db -Id $job.Id -TimeoutSeconds 1 -ErrorAction SilentlyContinue `
            -WarningAction SilentlyContinue -WarningVariable warnings | Out-Null

        $warnings.Count | Should -Be 1
        $warnings[0].Message | Should -BeLike "*No continuous processor*job $($job.Id)*Invoke-JobProcessor*"
    }
}
