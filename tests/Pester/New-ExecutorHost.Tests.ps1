BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'HostTestHelpers.psm1') -Force
    Import-ContainerManagerModule
    Assert-TestEngine
    Assert-TestHosts
    $fullId = ',ContainerManager.PowerShell.Commands.NewExecutorHostCommand'
}

Describe 'New-ExecutorHost' {
    BeforeEach {
        $db = New-TestDatabase
    }

    Context 'with valid input' {
        It 'adds a unix host with the default settings and returns it' {
            $hostObject = New-ExecutorHost -Database $db -Name 'dock-1' -Endpoint $env:CM_TEST_SECOND_HOST

            $hostObject | Should -BeOfType 'ContainerManager.Core.Hosts.ExecutorHost'
            $hostObject.Name | Should -Be 'dock-1'
            $hostObject.Endpoint | Should -Be $env:CM_TEST_SECOND_HOST
            $hostObject.Type | Should -Be 'Docker'
            $hostObject.Enabled | Should -BeTrue
            $hostObject.MaxConcurrentJobs | Should -Be 4
            $hostObject.Weight | Should -Be 1
            $hostObject.PullPolicy | Should -Be 'IfNotPresent'
            $hostObject.TlsVerify | Should -BeTrue
            $hostObject.TlsEnabled | Should -BeFalse
            $hostObject.LastHealth | Should -BeNullOrEmpty
            (Get-ExecutorHost -Database $db).Name | Should -Be 'dock-1'
        }

        It 'stores every setting that is given' {
            New-ExecutorHost -Database $db -Name 'tls-1' -Endpoint $env:CM_TEST_TLS_HOST `
                -TlsCaPath $env:CM_TEST_TLS_CA -TlsCertPath $env:CM_TEST_TLS_CERT -TlsKeyPath $env:CM_TEST_TLS_KEY `
                -TlsVerify $false -Enabled $false -MaxConcurrentJobs 8 -Weight 0 -Labels @{ gpu = $true; zone = 'eu' } `
                -PullPolicy Never -DefaultMemoryMiB 128 -DefaultCpus 0.5 -AllowPrivileged -AllowBindMounts | Out-Null

            $stored = Get-ExecutorHost -Database $db -Name 'tls-1'
            $stored.TlsCaPath | Should -Be $env:CM_TEST_TLS_CA
            $stored.TlsCertPath | Should -Be $env:CM_TEST_TLS_CERT
            $stored.TlsKeyPath | Should -Be $env:CM_TEST_TLS_KEY
            $stored.TlsVerify | Should -BeFalse
            $stored.Enabled | Should -BeFalse
            $stored.MaxConcurrentJobs | Should -Be 8
            $stored.Weight | Should -Be 0
            $stored.Labels['gpu'] | Should -Be 'True'
            $stored.Labels['ZONE'] | Should -Be 'eu'
            $stored.PullPolicy | Should -Be 'Never'
            $stored.DefaultMemoryMiB | Should -Be 128
            $stored.DefaultCpus | Should -Be 0.5
            $stored.AllowPrivileged | Should -BeTrue
            $stored.AllowBindMounts | Should -BeTrue
        }

        It 'resolves relative TLS paths against the current location' {
            Push-Location (Split-Path $env:CM_TEST_TLS_CA)
            try {
                New-ExecutorHost -Database $db -Name 'tls-1' -Endpoint $env:CM_TEST_TLS_HOST `
                    -TlsCaPath './ca.pem' -TlsCertPath 'client-cert.pem' -TlsKeyPath 'client-key.pem' | Out-Null
            }
            finally {
                Pop-Location
            }

            (Get-ExecutorHost -Database $db -Name 'tls-1').TlsCaPath | Should -Be $env:CM_TEST_TLS_CA
        }

        It 'adds hosts from the pipeline by property name' {
            @(
                [pscustomobject]@{ Name = 'a'; Endpoint = $env:CM_TEST_SECOND_HOST; Weight = 2 }
                [pscustomobject]@{ Name = 'b'; Endpoint = $env:DOCKER_HOST; Weight = 3 }
            ) | New-ExecutorHost -Database $db | Out-Null

            $hosts = Get-ExecutorHost -Database $db
            $hosts.Name | Should -Be @('a', 'b')
            $hosts.Weight | Should -Be @(2, 3)
        }

        It 'stores nothing with -WhatIf' {
            New-ExecutorHost -Database $db -Name 'a' -Endpoint $env:CM_TEST_SECOND_HOST -WhatIf

            @(Get-ExecutorHost -Database $db).Count | Should -Be 0
        }
    }

    Context 'with bad input' {
        It 'rejects <Case> with <ErrorId> and stores nothing' -ForEach @(
            @{ Case = 'an endpoint without a port'; Arguments = @{ Endpoint = 'tcp://127.0.0.1' }; ErrorId = 'InvalidEndpoint' }
            @{ Case = 'an http endpoint'; Arguments = @{ Endpoint = 'http://127.0.0.1:2375' }; ErrorId = 'InvalidEndpoint' }
            @{ Case = 'a relative socket path'; Arguments = @{ Endpoint = 'unix://docker.sock' }; ErrorId = 'InvalidEndpoint' }
            @{ Case = 'a name with spaces'; Arguments = @{ Name = 'two words' }; ErrorId = 'InvalidHostName' }
            @{ Case = 'the CloudRun type'; Arguments = @{ Type = 'CloudRun' }; ErrorId = 'HostTypeNotSupported' }
            @{ Case = 'a negative capacity'; Arguments = @{ MaxConcurrentJobs = -1 }; ErrorId = 'ParameterArgumentValidationError' }
            @{ Case = 'a zero capacity'; Arguments = @{ MaxConcurrentJobs = 0 }; ErrorId = 'ParameterArgumentValidationError' }
            @{ Case = 'a negative weight'; Arguments = @{ Weight = -1 }; ErrorId = 'ParameterArgumentValidationError' }
            @{ Case = 'too little default memory'; Arguments = @{ DefaultMemoryMiB = 1 }; ErrorId = 'InvalidDefaultMemory' }
            @{ Case = 'negative default CPUs'; Arguments = @{ DefaultCpus = -2 }; ErrorId = 'InvalidDefaultCpus' }
            @{ Case = 'a label key with spaces'; Arguments = @{ Labels = @{ 'bad key' = 'x' } }; ErrorId = 'InvalidLabel' }
            @{ Case = 'a list as a label value'; Arguments = @{ Labels = @{ zone = 'a', 'b' } }; ErrorId = 'InvalidLabel' }
            @{ Case = 'a certificate without its key'; Arguments = @{ Endpoint = 'tcp://127.0.0.1:2376'; TlsCertPath = '/tmp/cert.pem' }; ErrorId = 'InvalidTlsSettings' }
            @{ Case = 'TLS on a unix socket'; Arguments = @{ TlsCaPath = '/tmp/ca.pem' }; ErrorId = 'InvalidTlsSettings' }
            @{ Case = 'a missing CA file'; Arguments = @{ Endpoint = 'tcp://127.0.0.1:2376'; TlsCaPath = '/nonexistent/ca.pem' }; ErrorId = 'TlsFileNotFound' }
        ) {
            Initialize-TestStore -Database $db
            $all = @{ Name = 'bad'; Endpoint = 'unix:///run/docker.sock' }
            foreach ($key in $Arguments.Keys) { $all[$key] = $Arguments[$key] }

            { New-ExecutorHost -Database $db @all -ErrorAction Stop } | Should -Throw -ErrorId "$ErrorId$fullId"

            @(Get-ExecutorHost -Database $db).Count | Should -Be 0
        }

        It 'rejects a key that belongs to another certificate with TlsFileInvalid' {
            $failure = Get-ErrorRecord {
                New-ExecutorHost -Database $db -Name 'tls' -Endpoint $env:CM_TEST_TLS_HOST -TlsCaPath $env:CM_TEST_TLS_CA `
                    -TlsCertPath $env:CM_TEST_TLS_CERT -TlsKeyPath $env:CM_TEST_TLS_WRONG_KEY -ErrorAction Stop
            }

            $failure.FullyQualifiedErrorId | Should -Be "TlsFileInvalid$fullId"
            $failure.Exception.Message | Should -Match ([regex]::Escape($env:CM_TEST_TLS_CERT))
            @(Get-ExecutorHost -Database $db).Count | Should -Be 0
        }

        It 'names the value and the accepted forms for an invalid endpoint' {
            $failure = Get-ErrorRecord { New-ExecutorHost -Database $db -Name 'x' -Endpoint 'tcp://nohost' -ErrorAction Stop }

            $failure.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $failure.TargetObject | Should -Be 'tcp://nohost'
            $failure.Exception.Message | Should -Match "'tcp://nohost'"
            $failure.Exception.Message | Should -Match 'tcp://host:port'
        }

        It 'names the path and the parameter for a missing TLS file' {
            $failure = Get-ErrorRecord {
                New-ExecutorHost -Database $db -Name 'x' -Endpoint 'tcp://127.0.0.1:2376' -TlsCaPath '/nonexistent/ca.pem' -ErrorAction Stop
            }

            $failure.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $failure.Exception.Message | Should -Match '/nonexistent/ca.pem'
            $failure.Exception.Message | Should -Match '-TlsCaPath'
        }

        It 'writes HostAlreadyExists for a name that differs only in case and keeps the first host' {
            New-ExecutorHost -Database $db -Name 'Dock' -Endpoint $env:CM_TEST_SECOND_HOST | Out-Null
            $before = Get-HostSnapshot -Database $db

            $failure = Get-ErrorRecord { New-ExecutorHost -Database $db -Name 'dock' -Endpoint $env:DOCKER_HOST -ErrorAction Stop }

            $failure.FullyQualifiedErrorId | Should -Be "HostAlreadyExists$fullId"
            $failure.CategoryInfo.Category | Should -Be 'ResourceExists'
            Get-HostSnapshot -Database $db | Should -Be $before
        }

        It 'writes an error for a bad pipeline item and adds the good ones' {
            $items = @(
                [pscustomobject]@{ Name = 'good-1'; Endpoint = $env:CM_TEST_SECOND_HOST }
                [pscustomobject]@{ Name = 'bad'; Endpoint = 'ftp://nowhere' }
                [pscustomobject]@{ Name = 'good-2'; Endpoint = $env:DOCKER_HOST }
            )

            $items | New-ExecutorHost -Database $db -ErrorAction SilentlyContinue -ErrorVariable failures | Out-Null

            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -Be "InvalidEndpoint$fullId"
            (Get-ExecutorHost -Database $db).Name | Should -Be @('good-1', 'good-2')
        }
    }
}
