BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-ContainerManagerModule
    Assert-TestEngine
}

Describe 'Stop-ContainerJob' {
    BeforeEach {
        $db = New-TestDatabase
    }

    Context 'on a queued job' {
        It 'cancels it without running it' {
            $job = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -Command 'true'

            $stopped = Stop-ContainerJob -Database $db -Id $job.Id -PassThru

            $stopped.Status | Should -Be 'Cancelled'
            (Invoke-JobProcessor -Database $db -SingleRun -Wait).Launched | Should -Be 0
        }

        It 'changes nothing with -WhatIf' {
            $job = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE

            Stop-ContainerJob -Database $db -Id $job.Id -WhatIf

            (Get-ContainerJob -Database $db -Id $job.Id).Status | Should -Be 'Pending'
        }
    }

    Context 'on a running job' {
        It 'stops the container, ends Cancelled and keeps the output so far' {
            $job = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -Command 'sh', '-c', 'echo partial; sleep 600'
            Invoke-JobProcessor -Database $db -SingleRun | Out-Null
            Start-Sleep -Milliseconds 500

            $job | Stop-ContainerJob -Database $db -GracePeriodSeconds 1
            $done = Get-ContainerJob -Database $db -Id $job.Id

            $done.Status | Should -Be 'Cancelled'
            (Get-ContainerJobLog -Database $db -Id $job.Id -Stream Stdout).Text | Should -Be "partial`n"
            (Get-ContainerJobEvent -Database $db -Id $job.Id).Kind | Should -Contain 'Cancelled'
        }
    }

    Context 'with bad input' {
        It 'writes InvalidJobStatus for a completed job, naming it, and changes nothing' {
            $job = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -Command 'true'
            Invoke-JobProcessor -Database $db -SingleRun -Wait | Out-Null

            Stop-ContainerJob -Database $db -Id $job.Id -ErrorAction SilentlyContinue -ErrorVariable failures

            $failures[0].FullyQualifiedErrorId | Should -Be 'InvalidJobStatus,ContainerManager.PowerShell.Commands.StopContainerJobCommand'
            $failures[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
            $failures[0].Exception.Message | Should -Match "Job $($job.Id) .* is Completed"
            (Get-ContainerJob -Database $db -Id $job.Id).Status | Should -Be 'Completed'
        }

        It 'writes StoreReadOnly for a store file that cannot be written and leaves the job queued' {
            $job = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE
            Set-TestStoreImmutable -Database $db
            try {
                { Stop-ContainerJob -Database $db -Id $job.Id -ErrorAction Stop } |
                    Should -Throw -ErrorId 'StoreReadOnly,ContainerManager.PowerShell.Commands.StopContainerJobCommand'
                $record = $Error[0]
            }
            finally {
                Set-TestStoreImmutable -Database $db -Off
            }

            $record.CategoryInfo.Category | Should -Be 'PermissionDenied'
            $record.Exception.Message | Should -BeLike "*'$db'*"
            (Get-ContainerJob -Database $db -Id $job.Id).Status | Should -Be 'Pending'
        }

        It 'writes JobNotFound for an unknown id and goes on with the next' {
            $job = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE

            Stop-ContainerJob -Database $db -Id 9999, $job.Id -ErrorAction SilentlyContinue -ErrorVariable failures

            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -Be 'JobNotFound,ContainerManager.PowerShell.Commands.StopContainerJobCommand'
            (Get-ContainerJob -Database $db -Id $job.Id).Status | Should -Be 'Cancelled'
        }
    }
}
