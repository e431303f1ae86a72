BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'HostTestHelpers.psm1') -Force
    Import-ContainerManagerModule
    Assert-TestEngine
    Assert-TestHosts
    $fullId = ',ContainerManager.PowerShell.Commands.RemoveCmRegistryCredentialCommand'
}

Describe 'Remove-CmRegistryCredential' {
    BeforeEach {
        $db = New-TestDatabase
        foreach ($registry in 'a.example', 'b.example', 'c.example') {
            Set-CmRegistryCredential -Database $db -Registry $registry -Credential (New-TestCredential)
        }
    }

    It 'asks for confirmation by default' {
        $attribute = (Get-Command Remove-CmRegistryCredential).ImplementingType.GetCustomAttributes(
            [System.Management.Automation.CmdletAttribute], $false)[0]

        $attribute.ConfirmImpact | Should -Be 'High'
    }

    It 'removes the credential of a registry written in another form' {
        Remove-CmRegistryCredential -Database $db -Registry 'https://A.Example/' -Confirm:$false

        (Get-CmRegistryCredential -Database $db).Registry | Should -Be @('b.example', 'c.example')
    }

    It 'keeps the credential with -WhatIf' {
        $before = Get-CredentialSnapshot -Database $db

        Remove-CmRegistryCredential -Database $db -Registry 'a.example' -WhatIf

        Get-CredentialSnapshot -Database $db | Should -Be $before
    }

    It 'removes the credentials piped from Get-CmRegistryCredential' {
        Get-CmRegistryCredential -Database $db -Registry 'a.*', 'b.*' | Remove-CmRegistryCredential -Database $db -Confirm:$false

        (Get-CmRegistryCredential -Database $db).Registry | Should -Be 'c.example'
    }

    It 'writes RegistryCredentialNotFound for an unknown registry and removes the others' {
        Remove-CmRegistryCredential -Database $db -Registry 'z.example', 'c.example' -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failures

        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -Be "RegistryCredentialNotFound$fullId"
        (Get-CmRegistryCredential -Database $db).Registry | Should -Be @('a.example', 'b.example')
    }
}
