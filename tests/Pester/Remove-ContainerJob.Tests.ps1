BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-ContainerManagerModule
    Assert-TestEngine
}

Describe 'Remove-ContainerJob' {
    BeforeEach {
        $db = New-TestDatabase
        $finished = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -Command 'true'
        Invoke-JobProcessor -Database $db -SingleRun -Wait | Out-Null
        $queued = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE
    }

    It 'removes a finished job with its logs' {
        Remove-ContainerJob -Database $db -Id $finished.Id -Confirm:$false

        Get-ContainerJob -Database $db -Id $finished.Id -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Get-JobCount -Database $db | Should -Be 1
    }

    It 'keeps the job with -WhatIf, even with -Force' {
        Remove-ContainerJob -Database $db -Id $finished.Id -Force -WhatIf

        Get-JobCount -Database $db | Should -Be 2
    }

    It 'writes InvalidJobStatus for a queued job without -Force and keeps it' {
        { Remove-ContainerJob -Database $db -Id $queued.Id -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidJobStatus,ContainerManager.PowerShell.Commands.RemoveContainerJobCommand'

        Get-JobCount -Database $db | Should -Be 2
    }

    It 'cancels and removes a queued job with -Force' {
        $queued | Remove-ContainerJob -Database $db -Force

        Get-JobCount -Database $db | Should -Be 1
    }

    Context 'with -OlderThanDays' {
        It 'removes finished jobs and keeps queued ones' {
            Remove-ContainerJob -Database $db -OlderThanDays 0 -Force

            Get-ContainerJob -Database $db -Id $finished.Id -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            (Get-ContainerJob -Database $db -Id $queued.Id).Status | Should -Be 'Pending'
        }

        It 'keeps jobs that finished within the age' {
            Remove-ContainerJob -Database $db -OlderThanDays 1 -Force

            Get-JobCount -Database $db | Should -Be 2
        }

        It 'keeps every job with -WhatIf' {
            Remove-ContainerJob -Database $db -OlderThanDays 0 -Force -WhatIf

            Get-JobCount -Database $db | Should -Be 2
        }

        It 'rejects a negative age' {
            { Remove-ContainerJob -Database $db -OlderThanDays -1 -Force -ErrorAction Stop } |
                Should -Throw -ErrorId 'ParameterArgumentValidationError,ContainerManager.PowerShell.Commands.RemoveContainerJobCommand'
        }
    }
}
