BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'HostTestHelpers.psm1') -Force
    Import-ContainerManagerModule
    Assert-TestEngine
    Assert-TestHosts
    $fullId = ',ContainerManager.PowerShell.Commands.RemoveExecutorHostCommand'
}

Describe 'Remove-ExecutorHost' {
    BeforeEach {
        $db = New-TestDatabase
        foreach ($name in 'a-1', 'a-2', 'b-1') {
            New-ExecutorHost -Database $db -Name $name -Endpoint $env:CM_TEST_SECOND_HOST | Out-Null
        }
    }

    It 'asks for confirmation by default' {
        $attribute = (Get-Command Remove-ExecutorHost).ImplementingType.GetCustomAttributes(
            [System.Management.Automation.CmdletAttribute], $false)[0]

        $attribute.ConfirmImpact | Should -Be 'High'
        $attribute.SupportsShouldProcess | Should -BeTrue
    }

    Context 'by name' {
        It 'removes the host without regard to case' {
            Remove-ExecutorHost -Database $db -Name 'A-1' -Confirm:$false

            (Get-ExecutorHost -Database $db).Name | Should -Be @('a-2', 'b-1')
        }

        It 'keeps the host with -WhatIf' {
            Remove-ExecutorHost -Database $db -Name 'a-1' -WhatIf

            @(Get-ExecutorHost -Database $db).Count | Should -Be 3
        }

        It 'writes HostNotFound for an unknown host and removes the others' {
            Remove-ExecutorHost -Database $db -Name 'ghost', 'b-1' -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failures

            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -Be "HostNotFound$fullId"
            $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            (Get-ExecutorHost -Database $db).Name | Should -Be @('a-1', 'a-2')
        }
    }

    Context 'from the pipeline' {
        It 'removes the hosts piped from Get-ExecutorHost' {
            Get-ExecutorHost -Database $db -Name 'a-*' | Remove-ExecutorHost -Database $db -Confirm:$false

            (Get-ExecutorHost -Database $db).Name | Should -Be 'b-1'
        }
    }

    Context 'with jobs on the host' {
        BeforeEach {
            # The job names the host, so the processor runs it there and not on a-1, a-2 or b-1.
            New-ExecutorHost -Database $db -Name 'local' -Endpoint $env:DOCKER_HOST | Out-Null
            $job = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -Command 'sleep', '60' -HostName 'local'
            Invoke-JobProcessor -Database $db -SingleRun | Out-Null
            $job = Get-ContainerJob -Database $db -Id $job.Id
        }

        AfterEach {
            if ($job.ContainerId) {
                docker -H $env:DOCKER_HOST rm -f $job.ContainerId 2>&1 | Out-Null
            }
        }

        It 'writes HostInUse and keeps the host while a job runs on it' {
            $job.Status | Should -Be 'Running'

            Remove-ExecutorHost -Database $db -Name 'local' -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failures

            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -Be "HostInUse$fullId"
            $failures[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
            $failures[0].Exception.Message | Should -Match '1 jobs'
            $failures[0].Exception.Message | Should -Match '-Force'
            (Get-ExecutorHost -Database $db -Name 'local').Name | Should -Be 'local'
        }

        It 'removes the host with -Force' {
            Remove-ExecutorHost -Database $db -Name 'local' -Force -Confirm:$false

            Get-ExecutorHost -Database $db -Name 'local' -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        }
    }
}
