BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'HostTestHelpers.psm1') -Force
    Import-ContainerManagerModule
    Assert-TestEngine
    Assert-TestHosts
    $fullId = ',ContainerManager.PowerShell.Commands.EnableExecutorHostCommand'
}

Describe 'Enable-ExecutorHost' {
    BeforeEach {
        $db = New-TestDatabase
        New-ExecutorHost -Database $db -Name 'a' -Endpoint $env:CM_TEST_SECOND_HOST -Enabled $false | Out-Null
        New-ExecutorHost -Database $db -Name 'b' -Endpoint $env:CM_TEST_SECOND_HOST -Enabled $false | Out-Null
    }

    It 'enables a disabled host and returns nothing' {
        $output = Enable-ExecutorHost -Database $db -Name 'a'

        $output | Should -BeNullOrEmpty
        (Get-ExecutorHost -Database $db -Name 'a').Enabled | Should -BeTrue
        (Get-ExecutorHost -Database $db -Name 'b').Enabled | Should -BeFalse
    }

    It 'returns the host with -PassThru' {
        $output = Enable-ExecutorHost -Database $db -Name 'a' -PassThru

        $output.Name | Should -Be 'a'
        $output.Enabled | Should -BeTrue
    }

    It 'changes nothing with -WhatIf' {
        Enable-ExecutorHost -Database $db -Name 'a' -WhatIf

        (Get-ExecutorHost -Database $db -Name 'a').Enabled | Should -BeFalse
    }

    It 'enables the hosts piped from Get-ExecutorHost' {
        Get-ExecutorHost -Database $db | Enable-ExecutorHost -Database $db

        (Get-ExecutorHost -Database $db).Enabled | Should -Be @($true, $true)
    }

    It 'writes HostNotFound for an unknown host and enables the others' {
        Enable-ExecutorHost -Database $db -Name 'ghost', 'b' -ErrorAction SilentlyContinue -ErrorVariable failures

        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be "HostNotFound$fullId"
        (Get-ExecutorHost -Database $db -Name 'b').Enabled | Should -BeTrue
    }
}
