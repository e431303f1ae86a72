BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'HostTestHelpers.psm1') -Force
    Import-ContainerManagerModule
    Assert-TestEngine
    Assert-TestHosts
    $fullId = ',ContainerManager.PowerShell.Commands.GetExecutorHostCommand'
}

Describe 'Get-ExecutorHost' {
    BeforeEach {
        $db = New-TestDatabase
        foreach ($name in 'build-02', 'build-01', 'gpu-01') {
            New-ExecutorHost -Database $db -Name $name -Endpoint $env:CM_TEST_SECOND_HOST | Out-Null
        }
    }

    Context 'without a name' {
        It 'lists every host ordered by name' {
            (Get-ExecutorHost -Database $db).Name | Should -Be @('build-01', 'build-02', 'gpu-01')
        }

        It 'returns nothing for an empty store' {
            $empty = New-TestDatabase
            Initialize-TestStore -Database $empty

            @(Get-ExecutorHost -Database $empty).Count | Should -Be 0
        }
    }

    Context 'by name' {
        It 'finds a host without regard to case' {
            (Get-ExecutorHost -Database $db -Name 'BUILD-01').Name | Should -Be 'build-01'
        }

        It 'matches wildcards' {
            (Get-ExecutorHost -Database $db -Name 'build-*').Name | Should -Be @('build-01', 'build-02')
        }

        It 'returns nothing and writes no error when a wildcard matches nothing' {
            $found = Get-ExecutorHost -Database $db -Name 'none-*' -ErrorVariable failures

            @($found).Count | Should -Be 0
            $failures.Count | Should -Be 0
        }

        It 'writes HostNotFound for an unknown name and continues' {
            $found = Get-ExecutorHost -Database $db -Name 'ghost', 'gpu-01' -ErrorAction SilentlyContinue -ErrorVariable failures

            $found.Name | Should -Be 'gpu-01'
            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -Be "HostNotFound$fullId"
            $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $failures[0].TargetObject | Should -Be 'ghost'
            $failures[0].Exception.Message | Should -Match "'ghost'"
        }
    }

    Context 'from the pipeline' {
        It 'takes names by property name' {
            $found = [pscustomobject]@{ Name = 'gpu-01' }, [pscustomobject]@{ Name = 'build-02' } | Get-ExecutorHost -Database $db

            $found.Name | Should -Be @('gpu-01', 'build-02')
        }

        It 'takes names as strings' {
            ('build-01' | Get-ExecutorHost -Database $db).Name | Should -Be 'build-01'
        }
    }
}
