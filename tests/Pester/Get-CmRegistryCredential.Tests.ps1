BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'HostTestHelpers.psm1') -Force
    Import-ContainerManagerModule
    Assert-TestEngine
    Assert-TestHosts
    $fullId = ',ContainerManager.PowerShell.Commands.GetCmRegistryCredentialCommand'
}

Describe 'Get-CmRegistryCredential' {
    BeforeEach {
        $db = New-TestDatabase
        Set-CmRegistryCredential -Database $db -Registry 'b.example' -Credential (New-TestCredential -UserName 'bob')
        Set-CmRegistryCredential -Database $db -Registry 'a.example:5000' -Credential (New-TestCredential -UserName 'alice')
    }

    It 'lists every credential ordered by registry, without passwords' {
        $listed = Get-CmRegistryCredential -Database $db

        $listed.Registry | Should -Be @('a.example:5000', 'b.example')
        $listed.UserName | Should -Be @('alice', 'bob')
        $listed[0].PSObject.Properties.Name | Should -Not -Contain 'Password'
    }

    It 'finds a registry written as a URL' {
        (Get-CmRegistryCredential -Database $db -Registry 'https://A.Example:5000/').UserName | Should -Be 'alice'
    }

    It 'matches wildcards' {
        (Get-CmRegistryCredential -Database $db -Registry '*:5000').Registry | Should -Be 'a.example:5000'
    }

    It 'takes registries from the pipeline by property name' {
        ([pscustomobject]@{ Registry = 'b.example' } | Get-CmRegistryCredential -Database $db).UserName | Should -Be 'bob'
    }

    It 'writes RegistryCredentialNotFound for an unknown registry and continues' {
        $found = Get-CmRegistryCredential -Database $db -Registry 'c.example', 'b.example' -ErrorAction SilentlyContinue -ErrorVariable failures

        $found.Registry | Should -Be 'b.example'
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be "RegistryCredentialNotFound$fullId"
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $failures[0].TargetObject | Should -Be 'c.example'
    }
}
