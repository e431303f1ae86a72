BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'HostTestHelpers.psm1') -Force
    Import-ContainerManagerModule
    Assert-TestEngine
    Assert-TestHosts
    $fullId = ',ContainerManager.PowerShell.Commands.ImportContainerImageCommand'
    $openImage = "$env:CM_TEST_REGISTRY/$env:CM_TEST_IMAGE"
    $authImage = "$env:CM_TEST_AUTH_REGISTRY/$env:CM_TEST_IMAGE"

    function Remove-SecondHostImage {
        param([Parameter(Mandatory)] [string] $Image)
        # Uses the docker CLI of Debian's docker.io, which the test engine needs anyway.
        docker -H $env:CM_TEST_SECOND_HOST image rm --force $Image 2>&1 | Out-Null
    }
}

Describe 'Import-ContainerImage' {
    BeforeEach {
        $db = New-TestDatabase
        New-ExecutorHost -Database $db -Name 'second' -Endpoint $env:CM_TEST_SECOND_HOST | Out-Null
    }

    Context 'onto a named host' {
        It 'pulls a missing image from the open registry, then reports it present' {
            Remove-SecondHostImage $openImage

            $first = Import-ContainerImage -Database $db -Image $openImage -HostName 'second'
            $second = Import-ContainerImage -Database $db -Image $openImage -HostName 'second'

            $first | Should -BeOfType 'ContainerManager.Core.Hosts.ImagePullResult'
            $first.HostName | Should -Be 'second'
            $first.Image | Should -Be $openImage
            $first.Status | Should -Be 'Pulled'
            $first.Duration | Should -BeGreaterThan ([TimeSpan]::Zero)
            $first.Error | Should -BeNullOrEmpty
            $second.Status | Should -Be 'AlreadyPresent'
        }

        It 'pulls from the password-protected registry with a stored credential' {
            Remove-SecondHostImage $authImage
            Set-CmRegistryCredential -Database $db -Registry $env:CM_TEST_AUTH_REGISTRY `
                -Credential (New-TestCredential -UserName $env:CM_TEST_REGISTRY_USER -Password $env:CM_TEST_REGISTRY_PASSWORD)

            $result = Import-ContainerImage -Database $db -Image $authImage -HostName 'second'

            $result.Status | Should -Be 'Pulled'
        }

        It 'writes an error and returns a Failed result without a credential' {
            Remove-SecondHostImage $authImage

            $result = Import-ContainerImage -Database $db -Image $authImage -HostName 'second' `
                -ErrorAction SilentlyContinue -ErrorVariable failures

            $result.Status | Should -Be 'Failed'
            $result.Error | Should -Match ([regex]::Escape($env:CM_TEST_AUTH_REGISTRY))
            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -Match "^ImagePull\w+$([regex]::Escape($fullId))$"
            $failures[0].Exception.Message | Should -Not -Match ([regex]::Escape($env:CM_TEST_REGISTRY_PASSWORD))
        }

        It 'writes HostNotFound for an unknown host and goes on with the next' {
            $results = Import-ContainerImage -Database $db -Image $env:CM_TEST_IMAGE -HostName 'nowhere', 'second' `
                -ErrorAction SilentlyContinue -ErrorVariable failures

            $failures[0].FullyQualifiedErrorId | Should -Be "HostNotFound$fullId"
            $failures[0].TargetObject | Should -Be 'nowhere'
            $results.HostName | Should -Be 'second'
            $results.Status | Should -Be 'AlreadyPresent'
        }

        It 'pulls nothing with -WhatIf' {
            Remove-SecondHostImage $openImage

            $result = Import-ContainerImage -Database $db -Image $openImage -HostName 'second' -WhatIf

            $result | Should -BeNullOrEmpty
            docker -H $env:CM_TEST_SECOND_HOST image inspect $openImage 2>&1 | Out-Null
            $LASTEXITCODE | Should -Not -Be 0
        }
    }

    Context 'without -HostName' {
        It 'pulls onto every enabled host and skips disabled ones' {
            New-ExecutorHost -Database $db -Name 'main' -Endpoint $env:DOCKER_HOST | Out-Null
            New-ExecutorHost -Database $db -Name 'off' -Endpoint $env:CM_TEST_SECOND_HOST | Out-Null
            Disable-ExecutorHost -Database $db -Name 'off'

            $results = Import-ContainerImage -Database $db -Image $env:CM_TEST_IMAGE

            ($results.HostName | Sort-Object) | Should -Be @('main', 'second')
            $results.Status | Should -Be @('AlreadyPresent', 'AlreadyPresent')
        }

        It 'writes InvalidImage for an invalid reference' {
            Import-ContainerImage -Database $db -Image 'Not/Valid' -HostName 'second' `
                -ErrorAction SilentlyContinue -ErrorVariable failures | Out-Null

            $failures[0].FullyQualifiedErrorId | Should -Be "InvalidImage$fullId"
            $failures[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        }
    }
}
