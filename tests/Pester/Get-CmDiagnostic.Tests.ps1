BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-ContainerManagerModule
    Assert-TestEngine
}

Describe 'Get-CmDiagnostic' {
    It 'reports the store, job counts and a fresh check of the local engine, without secrets' {
        $db = New-TestDatabase
        $secret = 'diagnostic-secret-value'
        New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -Environment @{ API_TOKEN = $secret } | Out-Null

        $report = Get-CmDiagnostic -Database $db
        $json = $report | ConvertTo-Json -Depth 6

        $report.StorePath | Should -Be $db
        $report.SchemaVersion | Should -BeGreaterThan 0
        $report.JobCounts['Pending'] | Should -Be 1
        $report.Hosts.Count | Should -Be 1
        $report.Hosts[0].Ok | Should -BeTrue
        $report.PowerShellVersion | Should -Not -BeNullOrEmpty
        $json | Should -Not -Match $secret
    }

    It 'reports an invalid DOCKER_HOST as a failed check of the local engine' {
        $db = New-TestDatabase
        Initialize-TestStore -Database $db
        $savedHost = $env:DOCKER_HOST
        $env:DOCKER_HOST = 'garbage://x'
        try {
            $report = Get-CmDiagnostic -Database $db -HostTimeoutSeconds 2 -ErrorAction Stop
        }
        finally {
            $env:DOCKER_HOST = $savedHost
        }

        $report.StorePath | Should -Be $db
        $report.DockerHost | Should -Be 'garbage://x'
        $report.Hosts.Count | Should -Be 1
        $report.Hosts[0].HostName | Should -Be 'local'
        $report.Hosts[0].Endpoint | Should -Be 'garbage://x'
        $report.Hosts[0].Ok | Should -BeFalse
        $report.Hosts[0].Message | Should -Match 'garbage://x'
        $report.Hosts[0].Message | Should -Match 'unix://'
    }

    It 'reports an unreachable host with the endpoint in its message' {
        $db = New-TestDatabase
        $missing = "unix://$([IO.Path]::GetTempPath())cm-missing-$([guid]::NewGuid().ToString('N')).sock"
        New-ExecutorHost -Database $db -Name 'gone' -Endpoint $missing | Out-Null

        $report = Get-CmDiagnostic -Database $db -HostTimeoutSeconds 2

        $report.Hosts[0].Ok | Should -BeFalse
        $report.Hosts[0].Message | Should -Match ([regex]::Escape($missing.Substring(7)))
    }
}
