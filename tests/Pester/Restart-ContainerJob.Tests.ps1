BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-ContainerManagerModule
    Assert-TestEngine
}

Describe 'Restart-ContainerJob' {
    BeforeEach {
        $db = New-TestDatabase
    }

    It 'queues a failed job again and runs it as a new attempt with the history kept' {
        $job = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -Command 'sh', '-c', 'exit 7'
        Invoke-JobProcessor -Database $db -SingleRun -Wait | Out-Null

        $restarted = Get-ContainerJob -Database $db -Status Failed | Restart-ContainerJob -Database $db -PassThru
        Invoke-JobProcessor -Database $db -SingleRun -Wait | Out-Null

        $restarted.Status | Should -Be 'Pending'
        $restarted.ExitCode | Should -BeNullOrEmpty
        $attempts = Get-ContainerJobAttempt -Database $db -Id $job.Id
        $attempts.Attempt | Should -Be @(1, 2)
        $attempts.ExitCode | Should -Be @(7, 7)
        (Get-ContainerJobEvent -Database $db -Id $job.Id).Kind | Should -Contain 'Restarted'
    }

    It 'writes InvalidJobStatus for a running job and leaves it running' {
        $job = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -Command 'sleep', '30'
        Invoke-JobProcessor -Database $db -SingleRun | Out-Null

        { Restart-ContainerJob -Database $db -Id $job.Id -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidJobStatus,ContainerManager.PowerShell.Commands.RestartContainerJobCommand'

        (Get-ContainerJob -Database $db -Id $job.Id).Status | Should -Be 'Running'
        Stop-ContainerJob -Database $db -Id $job.Id -GracePeriodSeconds 0
    }
}
