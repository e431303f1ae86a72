BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-ContainerManagerModule
    Assert-TestEngine
}

Describe 'New-ContainerJob' {
    BeforeEach {
        $db = New-TestDatabase
    }

    Context 'with valid input' {
        It 'queues a Pending job with every field' {
            $job = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -Command 'sh', '-c', 'exit 0' `
                -Name 'nightly' -MemoryMiB 32 -Cpus 0.5 -TimeoutSeconds 60 -Environment @{ MODE = 'fast' }

            $job | Should -BeOfType 'ContainerManager.Core.Jobs.ContainerJob'
            $job.Status | Should -Be 'Pending'
            $job.Name | Should -Be 'nightly'
            $job.Command | Should -Be @('sh', '-c', 'exit 0')
            $job.MemoryMiB | Should -Be 32
            $job.Cpus | Should -Be 0.5
            $job.TimeoutSeconds | Should -Be 60
            $job.Environment['MODE'] | Should -Be 'fast'
        }

        It 'stores nothing with -WhatIf' {
            New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -WhatIf

            Get-JobCount -Database $db | Should -Be 0
        }
    }

    Context 'with bad input' {
        It 'rejects <Case> with <ErrorId> and stores nothing' -ForEach @(
            @{ Case = 'an empty image'; Arguments = @{ Image = '' }; ErrorId = 'ParameterArgumentValidationError' }
            @{ Case = 'an upper-case image'; Arguments = @{ Image = 'BusyBox' }; ErrorId = 'InvalidImage' }
            @{ Case = 'an empty command'; Arguments = @{ Image = 'busybox'; Command = @() }; ErrorId = 'ParameterArgumentValidationError' }
            @{ Case = 'an empty argument'; Arguments = @{ Image = 'busybox'; Command = @('echo', '') }; ErrorId = 'ParameterArgumentValidationError' }
            @{ Case = 'zero memory'; Arguments = @{ Image = 'busybox'; MemoryMiB = 0 }; ErrorId = 'ParameterArgumentValidationError' }
            @{ Case = 'negative memory'; Arguments = @{ Image = 'busybox'; MemoryMiB = -16 }; ErrorId = 'ParameterArgumentValidationError' }
            @{ Case = 'zero CPUs'; Arguments = @{ Image = 'busybox'; Cpus = 0 }; ErrorId = 'ParameterArgumentValidationError' }
            @{ Case = 'negative CPUs'; Arguments = @{ Image = 'busybox'; Cpus = -1 }; ErrorId = 'ParameterArgumentValidationError' }
            @{ Case = 'a zero timeout'; Arguments = @{ Image = 'busybox'; TimeoutSeconds = 0 }; ErrorId = 'ParameterArgumentValidationError' }
            @{ Case = 'a negative timeout'; Arguments = @{ Image = 'busybox'; TimeoutSeconds = -5 }; ErrorId = 'ParameterArgumentValidationError' }
        ) {
            { New-ContainerJob -Database $db @Arguments -ErrorAction Stop } |
                Should -Throw -ErrorId "$ErrorId,ContainerManager.PowerShell.Commands.NewContainerJobCommand"

            Get-JobCount -Database $db | Should -Be 0
        }

        It 'names the parameter and the allowed range for memory' {
            $caught = $null
            try {
                New-ContainerJob -Database $db -Image busybox -MemoryMiB 0 -ErrorAction Stop
            }
            catch {
                $caught = $_
            }

            $caught.Exception.Message | Should -Match 'MemoryMiB'
            $caught.Exception.Message | Should -Match '6'
            $caught.CategoryInfo.Category | Should -Be 'InvalidData'
        }

        It 'reports a missing image as a missing mandatory parameter' {
            $script = "New-ContainerJob -Database '$db' -Command echo"
            $output = & (Get-PwshPath) -NoProfile -NonInteractive -Command "Import-Module '$env:CM_MODULE_PATH/ContainerManager.psd1'; $script" 2>&1

            $LASTEXITCODE | Should -Not -Be 0
            "$output" | Should -Match 'Image'
            Get-JobCount -Database $db | Should -Be 0
        }

        It 'writes InvalidImage with the category InvalidArgument and the image as target' {
            New-ContainerJob -Database $db -Image 'Not/Valid' -ErrorAction SilentlyContinue -ErrorVariable failures

            $failures[0].FullyQualifiedErrorId | Should -Be 'InvalidImage,ContainerManager.PowerShell.Commands.NewContainerJobCommand'
            $failures[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $failures[0].TargetObject | Should -Be 'Not/Valid'
            $failures[0].Exception.Message | Should -Match 'Not/Valid'
        }
    }
}
