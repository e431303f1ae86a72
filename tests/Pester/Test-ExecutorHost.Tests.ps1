BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'HostTestHelpers.psm1') -Force
    Import-ContainerManagerModule
    Assert-TestEngine
    Assert-TestHosts
    $fullId = ',ContainerManager.PowerShell.Commands.TestExecutorHostCommand'
}

Describe 'Test-ExecutorHost' {
    BeforeEach {
        $db = New-TestDatabase
        $folder = Split-Path $db
        $tlsArguments = @{
            Endpoint = $env:CM_TEST_TLS_HOST
            TlsCaPath = $env:CM_TEST_TLS_CA
            TlsCertPath = $env:CM_TEST_TLS_CERT
            TlsKeyPath = $env:CM_TEST_TLS_KEY
        }
    }

    Context 'with a TLS engine and the right certificates' {
        BeforeEach {
            New-ExecutorHost -Database $db -Name 'tls' @tlsArguments | Out-Null
        }

        It 'returns what the engine reports' {
            $health = Test-ExecutorHost -Database $db -Name 'tls'

            $health | Should -BeOfType 'ContainerManager.Core.Hosts.HostHealth'
            $health.Ok | Should -BeTrue
            $health.HostName | Should -Be 'tls'
            $health.Endpoint | Should -Be $env:CM_TEST_TLS_HOST
            $health.EngineVersion | Should -Not -BeNullOrEmpty
            $health.ApiVersion | Should -Match '^\d+\.\d+$'
            $health.OperatingSystem | Should -Be 'linux'
            $health.Architecture | Should -Not -BeNullOrEmpty
            $health.Cpus | Should -BeGreaterThan 0
            $health.MemoryBytes | Should -BeGreaterThan 0
            $health.RunningContainers | Should -BeGreaterOrEqual 0
            $health.ResponseTimeMs | Should -BeGreaterOrEqual 0
        }

        It 'stores the result on the host' {
            Test-ExecutorHost -Database $db -Name 'tls' | Out-Null

            $stored = (Get-ExecutorHost -Database $db -Name 'tls').LastHealth
            $stored.Ok | Should -BeTrue
            $stored.EngineVersion | Should -Not -BeNullOrEmpty
            $stored.CheckedAt | Should -BeGreaterThan ([DateTimeOffset]::UtcNow.AddMinutes(-1))
        }

        It 'returns $true with -Quiet' {
            Test-ExecutorHost -Database $db -Name 'tls' -Quiet | Should -BeExactly $true
        }
    }

    Context 'with a TLS engine and a wrong certificate' {
        It 'writes <ErrorId> for <Case>, names the endpoint and stores the failure' -ForEach @(
            @{ Case = 'a client certificate from another CA'; Change = @{ TlsCertPath = $env:CM_TEST_TLS_WRONG_CERT; TlsKeyPath = $env:CM_TEST_TLS_WRONG_KEY }; ErrorId = 'TlsClientCertificateRejected'; Fix = '--tlscacert' }
            @{ Case = 'a CA that did not sign the engine'; Change = @{ TlsCaPath = $env:CM_TEST_TLS_WRONG_CA }; ErrorId = 'TlsServerCertificateRejected'; Fix = '-TlsCaPath' }
        ) {
            $arguments = $tlsArguments.Clone()
            foreach ($key in $Change.Keys) { $arguments[$key] = $Change[$key] }
            New-ExecutorHost -Database $db -Name 'tls' @arguments | Out-Null

            $failure = Get-ErrorRecord { Test-ExecutorHost -Database $db -Name 'tls' -ErrorAction Stop }

            $failure.FullyQualifiedErrorId | Should -Be "$ErrorId$fullId"
            $failure.CategoryInfo.Category | Should -Be 'PermissionDenied'
            $failure.TargetObject.Name | Should -Be 'tls'
            $failure.Exception.Message | Should -Match ([regex]::Escape($env:CM_TEST_TLS_HOST))
            $failure.Exception.Message | Should -Match ([regex]::Escape($Fix))
            $stored = (Get-ExecutorHost -Database $db -Name 'tls').LastHealth
            $stored.Ok | Should -BeFalse
            $stored.Message | Should -Be $failure.Exception.Message
        }

        It 'returns $false with -Quiet and writes no error' {
            New-ExecutorHost -Database $db -Name 'tls' @tlsArguments | Out-Null
            Set-ExecutorHost -Database $db -Name 'tls' -TlsCaPath $env:CM_TEST_TLS_WRONG_CA

            $result = Test-ExecutorHost -Database $db -Name 'tls' -Quiet -ErrorVariable failures

            $result | Should -BeExactly $false
            $failures.Count | Should -Be 0
        }
    }

    Context 'with an engine that is not running' {
        It 'writes EngineUnreachable naming the socket and telling to start the daemon' {
            $socket = Join-Path $folder 'missing.sock'
            New-ExecutorHost -Database $db -Name 'dead' -Endpoint "unix://$socket" | Out-Null

            $failure = Get-ErrorRecord { Test-ExecutorHost -Database $db -Name 'dead' -ErrorAction Stop }

            $failure.FullyQualifiedErrorId | Should -Be "EngineUnreachable$fullId"
            $failure.CategoryInfo.Category | Should -Be 'ResourceUnavailable'
            $failure.TargetObject.Name | Should -Be 'dead'
            $failure.Exception.Message | Should -Match ([regex]::Escape("unix://$socket"))
            $failure.Exception.Message | Should -Match 'start the Docker daemon'
            (Get-ExecutorHost -Database $db -Name 'dead').LastHealth.Ok | Should -BeFalse
        }

        It 'says to check the daemon when the socket file is left behind' {
            $socket = Join-Path $folder 'stale.sock'
            $bound = [System.Net.Sockets.Socket]::new('Unix', 'Stream', 'Unspecified')
            try {
                $bound.Bind([System.Net.Sockets.UnixDomainSocketEndPoint]::new($socket))
                New-ExecutorHost -Database $db -Name 'stale' -Endpoint "unix://$socket" | Out-Null

                $failure = Get-ErrorRecord { Test-ExecutorHost -Database $db -Name 'stale' -ErrorAction Stop }
            }
            finally {
                $bound.Dispose()
            }

            $failure.FullyQualifiedErrorId | Should -Be "EngineUnreachable$fullId"
            $failure.Exception.Message | Should -Match ([regex]::Escape($socket))
            $failure.Exception.Message | Should -Match 'check that the daemon is running'
        }

        It 'returns a result with Ok false and the reason beside the error' {
            New-ExecutorHost -Database $db -Name 'dead' -Endpoint "unix://$(Join-Path $folder 'missing.sock')" | Out-Null

            $result = Test-ExecutorHost -Database $db -Name 'dead' -ErrorAction SilentlyContinue -ErrorVariable failures

            $failures.Count | Should -Be 1
            $result.HostName | Should -Be 'dead'
            $result.Ok | Should -BeFalse
            $result.Message | Should -Be $failures[0].Exception.Message
        }

        It 'returns $false with -Quiet' {
            New-ExecutorHost -Database $db -Name 'dead' -Endpoint "unix://$(Join-Path $folder 'missing.sock')" | Out-Null

            Test-ExecutorHost -Database $db -Name 'dead' -Quiet | Should -BeExactly $false
        }
    }

    Context 'with several hosts' {
        BeforeEach {
            New-ExecutorHost -Database $db -Name 'dead' -Endpoint "unix://$(Join-Path $folder 'missing.sock')" | Out-Null
            New-ExecutorHost -Database $db -Name 'second' -Endpoint $env:CM_TEST_SECOND_HOST | Out-Null
            New-ExecutorHost -Database $db -Name 'tls' @tlsArguments | Out-Null
        }

        It 'checks every stored host without -Name' {
            $results = Test-ExecutorHost -Database $db -Quiet

            $results | Should -Be @($false, $true, $true)
        }

        It 'checks the hosts piped from Get-ExecutorHost' {
            $results = Get-ExecutorHost -Database $db -Name 'second', 'tls' | Test-ExecutorHost -Database $db

            $results.HostName | Should -Be @('second', 'tls')
            $results.Ok | Should -Be @($true, $true)
        }

        It 'writes HostNotFound for an unknown host and checks the others' {
            $results = Test-ExecutorHost -Database $db -Name 'ghost', 'second' -ErrorAction SilentlyContinue -ErrorVariable failures

            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -Be "HostNotFound$fullId"
            $results.HostName | Should -Be 'second'
        }
    }

    Context 'with no stored host' {
        It 'checks the local engine from DOCKER_HOST' {
            $health = Test-ExecutorHost -Database $db

            $health.HostName | Should -Be 'local'
            $health.Endpoint | Should -Be $env:DOCKER_HOST
            $health.Ok | Should -BeTrue
            @(Get-ExecutorHost -Database $db).Count | Should -Be 0
        }

        It 'runs a job on a TLS engine given by DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH' {
            $certs = Join-Path $folder 'certs'
            New-Item -ItemType Directory $certs | Out-Null
            Copy-Item $env:CM_TEST_TLS_CA (Join-Path $certs 'ca.pem')
            Copy-Item $env:CM_TEST_TLS_CERT (Join-Path $certs 'cert.pem')
            Copy-Item $env:CM_TEST_TLS_KEY (Join-Path $certs 'key.pem')
            $script = @"
`$env:DOCKER_HOST = '$env:CM_TEST_TLS_HOST'
`$env:DOCKER_TLS_VERIFY = '1'
`$env:DOCKER_CERT_PATH = '$certs'
if (-not (Test-ExecutorHost -Database '$db' -Quiet)) { throw 'the TLS engine did not respond' }
`$job = New-ContainerJob -Database '$db' -Image '$env:CM_TEST_IMAGE' -Command 'echo', 'ran over tls'
Invoke-JobProcessor -Database '$db' -SingleRun -Wait | Out-Null
`$done = Get-ContainerJob -Database '$db' -Id `$job.Id
"`$(`$done.Status) `$((Get-ContainerJobLog -Database '$db' -Id `$job.Id | Where-Object Stream -eq 'Stdout').Text.Trim())"
"@

            $output = Invoke-IsolatedPwsh -Script $script

            "$output" | Should -Be 'Completed ran over tls'
        }
    }
}
