BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-ContainerManagerModule
    Assert-TestEngine
}

Describe 'Get-ContainerJobAttempt' {
    BeforeEach {
        $db = New-TestDatabase
    }

    Context 'for a job retried on its exit code' {
        It 'keeps the exit code, end time and error of every attempt' {
            $job = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -Command 'sh', '-c', 'exit 75' `
                -MaxAttempts 2 -RetryOnExitCode 75
            Invoke-JobProcessor -Database $db -SingleRun -Wait -WarningAction SilentlyContinue | Out-Null
            # The retry waits for its back-off; moving the due time lets the next run take it.
            Set-ContainerJob -Database $db -Id $job.Id -ScheduledFor (Get-Date)
            Invoke-JobProcessor -Database $db -SingleRun -Wait -WarningAction SilentlyContinue | Out-Null

            $attempts = Get-ContainerJobAttempt -Database $db -Id $job.Id

            $attempts.Attempt | Should -Be @(1, 2)
            $attempts.Status | Should -Be @('Retrying', 'Failed')
            $attempts.ExitCode | Should -Be @(75, 75)
            $attempts.OomKilled | Should -Be @($false, $false)
            $attempts | ForEach-Object { $_.CompletedAt | Should -Not -BeNullOrEmpty }
            $attempts | ForEach-Object { $_.ErrorMessage | Should -BeLike '*code 75*' }
        }
    }
}
