BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'HostTestHelpers.psm1') -Force
    Import-ContainerManagerModule
    Assert-TestEngine
    Assert-TestHosts
    $fullId = ',ContainerManager.PowerShell.Commands.SetCmRegistryCredentialCommand'
}

Describe 'Set-CmRegistryCredential' {
    BeforeEach {
        $db = New-TestDatabase
        $credential = New-TestCredential -UserName 'robot' -Password 'pester-secret-pw'
    }

    Context 'with valid input' {
        It 'stores the credential under the registry host and port and returns nothing' {
            $output = Set-CmRegistryCredential -Database $db -Registry $env:CM_TEST_AUTH_REGISTRY -Credential $credential

            $output | Should -BeNullOrEmpty
            $stored = Get-CmRegistryCredential -Database $db
            $stored.Registry | Should -Be $env:CM_TEST_AUTH_REGISTRY
            $stored.UserName | Should -Be 'robot'
        }

        It 'normalizes a registry written as a URL' {
            Set-CmRegistryCredential -Database $db -Registry 'HTTPS://Registry.Example:5000/v2/' -Credential $credential

            (Get-CmRegistryCredential -Database $db).Registry | Should -Be 'registry.example:5000'
        }

        It 'returns the credential without its password with -PassThru' {
            $output = Set-CmRegistryCredential -Database $db -Registry 'a.example' -Credential $credential -PassThru

            $output | Should -BeOfType 'ContainerManager.Core.Credentials.RegistryCredentialInfo'
            $output.PSObject.Properties.Name | Should -Not -Contain 'Password'
        }

        It 'replaces an earlier credential for the same registry' {
            Set-CmRegistryCredential -Database $db -Registry 'a.example' -Credential $credential
            Set-CmRegistryCredential -Database $db -Registry 'A.EXAMPLE' -Credential (New-TestCredential -UserName 'other')

            $stored = @(Get-CmRegistryCredential -Database $db)
            $stored.Count | Should -Be 1
            $stored[0].UserName | Should -Be 'other'
        }

        It 'never writes the password to any stream' {
            $all = Set-CmRegistryCredential -Database $db -Registry 'a.example' -Credential $credential -PassThru -Verbose *>&1 |
                Out-String
            $all += Get-CmRegistryCredential -Database $db | Format-List * | Out-String

            $all | Should -Not -Match 'pester-secret-pw'
            $all | Should -Match 'robot'
        }

        It 'takes the registry from the pipeline by property name' {
            [pscustomobject]@{ Registry = 'b.example' } | Set-CmRegistryCredential -Database $db -Credential $credential

            (Get-CmRegistryCredential -Database $db).Registry | Should -Be 'b.example'
        }

        It 'stores nothing with -WhatIf' {
            Set-CmRegistryCredential -Database $db -Registry 'a.example' -Credential $credential -WhatIf

            @(Get-CmRegistryCredential -Database $db).Count | Should -Be 0
        }
    }

    Context 'with bad input' {
        It 'rejects <Case> with <ErrorId> and stores nothing' -ForEach @(
            @{ Case = 'a registry with spaces'; Registry = 'not a registry'; ErrorId = 'InvalidRegistry' }
            @{ Case = 'a registry with a named port'; Registry = 'host:port'; ErrorId = 'InvalidRegistry' }
            @{ Case = 'an empty registry'; Registry = ''; ErrorId = 'ParameterArgumentValidationError' }
        ) {
            Initialize-TestStore -Database $db
            { Set-CmRegistryCredential -Database $db -Registry $Registry -Credential $credential -ErrorAction Stop } |
                Should -Throw -ErrorId "$ErrorId$fullId"

            @(Get-CmRegistryCredential -Database $db).Count | Should -Be 0
        }

        It 'names the value and an example for an invalid registry' {
            $failure = Get-ErrorRecord { Set-CmRegistryCredential -Database $db -Registry 'bad registry' -Credential $credential -ErrorAction Stop }

            $failure.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $failure.TargetObject | Should -Be 'bad registry'
            $failure.Exception.Message | Should -Match "'bad registry'"
            $failure.Exception.Message | Should -Match 'registry.example:5000'
        }

        It 'rejects a user name with a colon with InvalidCredential' {
            { Set-CmRegistryCredential -Database $db -Registry 'a.example' -Credential (New-TestCredential -UserName 'a:b') -ErrorAction Stop } |
                Should -Throw -ErrorId "InvalidCredential$fullId"

            @(Get-CmRegistryCredential -Database $db).Count | Should -Be 0
        }
    }
}
