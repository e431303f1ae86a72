BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'HostTestHelpers.psm1') -Force
    Import-ContainerManagerModule
    Assert-TestEngine
    Assert-TestHosts
    $fullId = ',ContainerManager.PowerShell.Commands.DisableExecutorHostCommand'
}

Describe 'Disable-ExecutorHost' {
    BeforeEach {
        $db = New-TestDatabase
        New-ExecutorHost -Database $db -Name 'a' -Endpoint $env:CM_TEST_SECOND_HOST | Out-Null
        New-ExecutorHost -Database $db -Name 'b' -Endpoint $env:CM_TEST_SECOND_HOST | Out-Null
    }

    It 'disables a host and returns nothing' {
        $output = Disable-ExecutorHost -Database $db -Name 'A'

        $output | Should -BeNullOrEmpty
        (Get-ExecutorHost -Database $db -Name 'a').Enabled | Should -BeFalse
        (Get-ExecutorHost -Database $db -Name 'b').Enabled | Should -BeTrue
    }

    It 'returns the host with -PassThru' {
        $output = Disable-ExecutorHost -Database $db -Name 'a' -PassThru

        $output.Enabled | Should -BeFalse
    }

    It 'changes nothing with -WhatIf' {
        Disable-ExecutorHost -Database $db -Name 'a' -WhatIf

        (Get-ExecutorHost -Database $db -Name 'a').Enabled | Should -BeTrue
    }

    It 'disables a host whose TLS file has gone' {
        $folder = Split-Path (New-TestDatabase)
        Copy-Item $env:CM_TEST_TLS_CA (Join-Path $folder 'ca.pem')
        New-ExecutorHost -Database $db -Name 'tls' -Endpoint $env:CM_TEST_TLS_HOST -TlsCaPath (Join-Path $folder 'ca.pem') | Out-Null
        Remove-Item (Join-Path $folder 'ca.pem')

        Disable-ExecutorHost -Database $db -Name 'tls'

        (Get-ExecutorHost -Database $db -Name 'tls').Enabled | Should -BeFalse
    }

    It 'disables the hosts piped from Get-ExecutorHost' {
        Get-ExecutorHost -Database $db | Disable-ExecutorHost -Database $db

        (Get-ExecutorHost -Database $db).Enabled | Should -Be @($false, $false)
    }

    It 'writes HostNotFound for an unknown host and disables the others' {
        Disable-ExecutorHost -Database $db -Name 'ghost', 'b' -ErrorAction SilentlyContinue -ErrorVariable failures

        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be "HostNotFound,ContainerManager.PowerShell.Commands.DisableExecutorHostCommand"
        (Get-ExecutorHost -Database $db -Name 'b').Enabled | Should -BeFalse
    }
}
