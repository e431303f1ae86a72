BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'HostTestHelpers.psm1') -Force
    Import-ContainerManagerModule
    Assert-TestEngine
    Assert-TestHosts
    $fullId = ',ContainerManager.PowerShell.Commands.SetExecutorHostCommand'
}

Describe 'Set-ExecutorHost' {
    BeforeEach {
        $db = New-TestDatabase
        New-ExecutorHost -Database $db -Name 'dock' -Endpoint $env:CM_TEST_SECOND_HOST -Weight 2 -Labels @{ zone = 'a' } `
            -DefaultMemoryMiB 64 | Out-Null
        New-ExecutorHost -Database $db -Name 'tls' -Endpoint $env:CM_TEST_TLS_HOST -TlsCaPath $env:CM_TEST_TLS_CA `
            -TlsCertPath $env:CM_TEST_TLS_CERT -TlsKeyPath $env:CM_TEST_TLS_KEY | Out-Null
    }

    Context 'by name' {
        It 'changes only the settings that are given' {
            Set-ExecutorHost -Database $db -Name 'dock' -MaxConcurrentJobs 9 -PullPolicy Always

            $changed = Get-ExecutorHost -Database $db -Name 'dock'
            $changed.MaxConcurrentJobs | Should -Be 9
            $changed.PullPolicy | Should -Be 'Always'
            $changed.Weight | Should -Be 2
            $changed.Labels['zone'] | Should -Be 'a'
            $changed.DefaultMemoryMiB | Should -Be 64
            $changed.Endpoint | Should -Be $env:CM_TEST_SECOND_HOST
        }

        It 'disables and enables a host with -Enabled' {
            Set-ExecutorHost -Database $db -Name 'dock' -Enabled $false
            $disabled = (Get-ExecutorHost -Database $db -Name 'dock').Enabled
            Set-ExecutorHost -Database $db -Name 'dock' -Enabled $true
            $enabled = (Get-ExecutorHost -Database $db -Name 'dock').Enabled

            $disabled | Should -BeFalse
            $enabled | Should -BeTrue
        }

        It 'replaces the labels' {
            Set-ExecutorHost -Database $db -Name 'dock' -Labels @{ gpu = 'true' }

            $labels = (Get-ExecutorHost -Database $db -Name 'dock').Labels
            $labels.Count | Should -Be 1
            $labels['gpu'] | Should -Be 'true'
        }

        It 'clears a default limit set to $null' {
            Set-ExecutorHost -Database $db -Name 'dock' -DefaultMemoryMiB $null

            (Get-ExecutorHost -Database $db -Name 'dock').DefaultMemoryMiB | Should -BeNullOrEmpty
        }

        It 'moves a TLS host to a unix socket when the TLS paths are cleared' {
            Set-ExecutorHost -Database $db -Name 'tls' -Endpoint $env:DOCKER_HOST -TlsCaPath $null -TlsCertPath $null -TlsKeyPath ''

            $changed = Get-ExecutorHost -Database $db -Name 'tls'
            $changed.Endpoint | Should -Be $env:DOCKER_HOST
            $changed.TlsEnabled | Should -BeFalse
            $changed.TlsKeyPath | Should -BeNullOrEmpty
        }

        It 'returns nothing without -PassThru and the host with it' {
            $quiet = Set-ExecutorHost -Database $db -Name 'dock' -Weight 4
            $passed = Set-ExecutorHost -Database $db -Name 'dock' -Weight 5 -PassThru

            $quiet | Should -BeNullOrEmpty
            $passed | Should -BeOfType 'ContainerManager.Core.Hosts.ExecutorHost'
            $passed.Weight | Should -Be 5
        }

        It 'changes nothing with -WhatIf' {
            $before = Get-HostSnapshot -Database $db

            Set-ExecutorHost -Database $db -Name 'dock' -Weight 7 -WhatIf

            Get-HostSnapshot -Database $db | Should -Be $before
        }

        It 'warns and writes nothing when no setting is given' {
            $before = Get-HostSnapshot -Database $db

            Set-ExecutorHost -Database $db -Name 'dock' -WarningVariable warnings -WarningAction SilentlyContinue

            $warnings.Count | Should -Be 1
            "$($warnings[0])" | Should -Match 'nothing changes'
            Get-HostSnapshot -Database $db | Should -Be $before
        }
    }

    Context 'from the pipeline' {
        It 'changes every host piped from Get-ExecutorHost' {
            Get-ExecutorHost -Database $db | Set-ExecutorHost -Database $db -Weight 6

            (Get-ExecutorHost -Database $db).Weight | Should -Be @(6, 6)
        }
    }

    Context 'with bad input' {
        It 'writes HostNotFound for an unknown host and changes the others' {
            Set-ExecutorHost -Database $db -Name 'ghost', 'dock' -Weight 3 -ErrorAction SilentlyContinue -ErrorVariable failures

            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -Be "HostNotFound$fullId"
            $failures[0].TargetObject | Should -Be 'ghost'
            (Get-ExecutorHost -Database $db -Name 'dock').Weight | Should -Be 3
        }

        It 'rejects <Case> with <ErrorId> and changes nothing' -ForEach @(
            @{ Case = 'an invalid endpoint'; Arguments = @{ Endpoint = 'tcp://nohost' }; ErrorId = 'InvalidEndpoint' }
            @{ Case = 'a negative capacity'; Arguments = @{ MaxConcurrentJobs = -3 }; ErrorId = 'ParameterArgumentValidationError' }
            @{ Case = 'a negative weight'; Arguments = @{ Weight = -1 }; ErrorId = 'ParameterArgumentValidationError' }
            @{ Case = 'too little default memory'; Arguments = @{ DefaultMemoryMiB = 3 }; ErrorId = 'InvalidDefaultMemory' }
            @{ Case = 'a missing CA file'; Arguments = @{ Endpoint = 'tcp://127.0.0.1:2376'; TlsCaPath = '/nonexistent/ca.pem' }; ErrorId = 'TlsFileNotFound' }
            @{ Case = 'TLS on a unix socket'; Arguments = @{ TlsCaPath = $env:CM_TEST_TLS_CA }; ErrorId = 'InvalidTlsSettings' }
            @{ Case = 'a bad label'; Arguments = @{ Labels = @{ '' = 'x' } }; ErrorId = 'InvalidLabel' }
            @{ Case = 'a list as a label value'; Arguments = @{ Labels = @{ zone = 'a', 'b' } }; ErrorId = 'InvalidLabel' }
        ) {
            $before = Get-HostSnapshot -Database $db

            { Set-ExecutorHost -Database $db -Name 'dock' @Arguments -ErrorAction Stop } | Should -Throw -ErrorId "$ErrorId$fullId"

            Get-HostSnapshot -Database $db | Should -Be $before
        }
    }
}
