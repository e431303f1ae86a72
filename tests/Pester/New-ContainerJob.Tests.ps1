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

        It 'runs with the working directory, user and labels given' {
            $job = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -Command sh, -c, 'pwd; id -u' `
                -WorkingDirectory /tmp -User 4321 -Network none -Label @{ team = 'data' }

            Invoke-JobProcessor -Database $db -SingleRun -Wait | Out-Null
            $stdout = Get-ContainerJobLog -Database $db -Id $job.Id -Stream Stdout

            $job.Labels['team'] | Should -Be 'data'
            $job.Network | Should -Be 'none'
            $stdout.Text | Should -BeExactly "/tmp`n4321`n"
        }

        It 'fails a bind mount on the local engine, which does not allow them, with advice that works' {
            $job = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -Command true -BindMount "${TestDrive}:/data:ro"

            Invoke-JobProcessor -Database $db -SingleRun -Wait -ErrorAction SilentlyContinue -WarningAction SilentlyContinue |
                Out-Null
            $done = Get-ContainerJob -Database $db -Id $job.Id

            $done.Status | Should -Be 'Failed'
            $done.ErrorMessage | Should -Not -Match 'Set-ExecutorHost'
            $done.ErrorMessage -match 'New-ExecutorHost -Name local -Endpoint (?<Endpoint>\S+) -AllowBindMounts' |
                Should -BeTrue

            # The advice, run as given, lets the job run.
            New-ExecutorHost -Database $db -Name local -Endpoint $Matches.Endpoint -AllowBindMounts | Out-Null
            Restart-ContainerJob -Database $db -Id $job.Id
            Invoke-JobProcessor -Database $db -SingleRun -Wait | Out-Null

            (Get-ContainerJob -Database $db -Id $job.Id).Status | Should -Be 'Completed'
        }

        It 'stores nothing with -WhatIf' {
            New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -WhatIf

            Get-JobCount -Database $db | Should -Be 0
        }
    }

    Context 'with environment templates' {
        BeforeEach {
            New-EnvironmentTemplate -Database $db -Name 'first' -Text "FIRST=t1`nSECOND=t1`nTHIRD=t1" | Out-Null
            New-EnvironmentTemplate -Database $db -Name 'second' -Text "SECOND=t2`nTHIRD=t2" | Out-Null
        }

        It 'gives the container the merged environment, later templates and -Environment winning' {
            $job = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -Command 'sh', '-c', 'echo "$FIRST $SECOND $THIRD"' `
                -EnvironmentTemplate 'first', 'second' -Environment @{ THIRD = 'env' }

            Invoke-JobProcessor -Database $db -SingleRun -Wait | Out-Null
            $stdout = Get-ContainerJobLog -Database $db -Id $job.Id -Stream Stdout

            (Get-ContainerJob -Database $db -Id $job.Id).Status | Should -Be 'Completed'
            $stdout.Text | Should -BeExactly "t1 t2 env`n"
        }

        It 'records the merged environment and the template names' {
            $job = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -EnvironmentTemplate 'second', 'FIRST'

            $job.EnvironmentTemplates | Should -Be @('second', 'first')
            $job.Environment['SECOND'] | Should -Be 't1'
            $job.Environment['THIRD'] | Should -Be 't1'
        }

        It 'masks the secret keys declared by templates and by -SecretKey' {
            New-EnvironmentTemplate -Database $db -Name 'declared' -Text 'REGION=eu-west-1' -SecretKey 'REGION' | Out-Null

            $job = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -EnvironmentTemplate 'declared', 'first' -SecretKey 'first'

            $job.Environment['REGION'] | Should -Be '********'
            $job.Environment['FIRST'] | Should -Be '********'
            $job.Environment['SECOND'] | Should -Be 't1'
        }

        It 'writes TemplateNotFound for an unknown template and stores nothing' {
            { New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -EnvironmentTemplate 'first', 'nope' -ErrorAction Stop } |
                Should -Throw -ErrorId 'TemplateNotFound,ContainerManager.PowerShell.Commands.NewContainerJobCommand'

            Get-JobCount -Database $db | Should -Be 0
        }

        It 'warns about a secret key that the environment does not define' {
            New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -EnvironmentTemplate 'first' -SecretKey 'FRIST' `
                -WarningVariable warnings -WarningAction SilentlyContinue | Out-Null

            $warnings.Count | Should -Be 1
            $warnings[0].Message | Should -Match "'FRIST'"
        }

        It 'writes InvalidSecretKey without the value for a secret key given as KEY=value' {
            $records = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -SecretKey 'DB_PASSWORD=hunter22-hunter' -ErrorAction Continue *>&1
            $text = $records | ConvertTo-SearchableText

            $records[0].FullyQualifiedErrorId | Should -Be 'InvalidSecretKey,ContainerManager.PowerShell.Commands.NewContainerJobCommand'
            $text | Should -Not -Match 'hunter22-hunter'
            Get-JobCount -Database $db | Should -Be 0
        }

        It 'hides a secret value that the command repeats and runs the real command' {
            New-EnvironmentTemplate -Database $db -Name 'secret' -Text 'DB_PASSWORD=hunter22-hunter' | Out-Null

            $job = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -EnvironmentTemplate 'secret' `
                -Command 'sh', '-c', 'test "$DB_PASSWORD" = hunter22-hunter && echo received'
            Invoke-JobProcessor -Database $db -SingleRun -Wait | Out-Null

            $job.Command[2] | Should -BeExactly 'test "$DB_PASSWORD" = ******** && echo received'
            (Get-ContainerJobLog -Database $db -Id $job.Id -Stream Stdout).Text | Should -BeExactly "received`n"
        }

        It 'writes the keys and the masked ones to the debug stream, without values' {
            $records = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -EnvironmentTemplate 'first' `
                -Environment @{ API_TOKEN = 'tok-12345' } -Verbose -Debug -WarningAction Continue *>&1

            $debug = @($records | Where-Object { $_ -is [Management.Automation.DebugRecord] })
            $debug.Count | Should -Be 1
            $debug[0].Message | Should -Match 'templates first'
            $debug[0].Message | Should -Match 'API_TOKEN \(secret\)'
            $debug[0].Message | Should -Not -Match 'tok-12345'
            $debug[0].Message | Should -Not -Match 't1'
        }

        It 'stores numbers and booleans in the environment as invariant text' {
            $job = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -Environment @{ PORT = 8080; RATIO = 0.5; DEBUG = $true; MODE = [char]'x' }

            $job.Environment['PORT'] | Should -BeExactly '8080'
            $job.Environment['RATIO'] | Should -BeExactly '0.5'
            $job.Environment['DEBUG'] | Should -BeExactly 'True'
            $job.Environment['MODE'] | Should -BeExactly 'x'
        }

        It 'keeps a ${env:NAME} reference unresolved in the store' {
            New-EnvironmentTemplate -Database $db -Name 'ref' -Text 'DB_HOST=${env:CM_PESTER_DB_HOST}' | Out-Null

            $job = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -EnvironmentTemplate 'ref'

            $job.Environment['DB_HOST'] | Should -BeExactly '${env:CM_PESTER_DB_HOST}'
        }
    }

    Context 'with bad input' {
        It 'rejects <Case> with <ErrorId> and stores nothing' -ForEach @(
            @{ Case = 'an empty image'; Arguments = @{ Image = '' }; ErrorId = 'ParameterArgumentValidationError' }
            @{ Case = 'an upper-case image'; Arguments = @{ Image = 'BusyBox' }; ErrorId = 'InvalidImage' }
            @{ Case = 'an empty command'; Arguments = @{ Image = 'busybox'; Command = @() }; ErrorId = 'ParameterArgumentValidationError' }
            @{ Case = 'a null command argument'; Arguments = @{ Image = 'busybox'; Command = 'echo', $null }; ErrorId = 'InvalidCommand' }
            @{ Case = 'a command of one null argument'; Arguments = @{ Image = 'busybox'; Command = @($null) }; ErrorId = 'InvalidCommand' }
            @{ Case = 'a NUL in an environment value'; Arguments = @{ Image = 'busybox'; Environment = @{ KEY = "a`0b" } }; ErrorId = 'InvalidEnvironmentValue' }
            @{ Case = 'a list as an environment value'; Arguments = @{ Image = 'busybox'; Environment = @{ KEY = 1, 2 } }; ErrorId = 'InvalidEnvironmentValue' }
            @{ Case = 'a SecureString as an environment value'; Arguments = @{ Image = 'busybox'; Environment = @{ KEY = (ConvertTo-SecureString 'x' -AsPlainText -Force) } }; ErrorId = 'InvalidEnvironmentValue' }
            @{ Case = 'a PSCredential as an environment value'; Arguments = @{ Image = 'busybox'; Environment = @{ KEY = [pscredential]::new('user', (ConvertTo-SecureString 'x' -AsPlainText -Force)) } }; ErrorId = 'InvalidEnvironmentValue' }
            @{ Case = 'a scriptblock as an environment value'; Arguments = @{ Image = 'busybox'; Environment = @{ KEY = { 'x' } } }; ErrorId = 'InvalidEnvironmentValue' }
            @{ Case = 'an object as an environment value'; Arguments = @{ Image = 'busybox'; Environment = @{ KEY = [pscustomobject]@{ A = 1 } } }; ErrorId = 'InvalidEnvironmentValue' }
            @{ Case = 'zero memory'; Arguments = @{ Image = 'busybox'; MemoryMiB = 0 }; ErrorId = 'ParameterArgumentValidationError' }
            @{ Case = 'negative memory'; Arguments = @{ Image = 'busybox'; MemoryMiB = -16 }; ErrorId = 'ParameterArgumentValidationError' }
            @{ Case = 'zero CPUs'; Arguments = @{ Image = 'busybox'; Cpus = 0 }; ErrorId = 'ParameterArgumentValidationError' }
            @{ Case = 'negative CPUs'; Arguments = @{ Image = 'busybox'; Cpus = -1 }; ErrorId = 'ParameterArgumentValidationError' }
            @{ Case = 'a zero timeout'; Arguments = @{ Image = 'busybox'; TimeoutSeconds = 0 }; ErrorId = 'ParameterArgumentValidationError' }
            @{ Case = 'a negative timeout'; Arguments = @{ Image = 'busybox'; TimeoutSeconds = -5 }; ErrorId = 'ParameterArgumentValidationError' }
            @{ Case = 'a relative working directory'; Arguments = @{ Image = 'busybox'; WorkingDirectory = 'work' }; ErrorId = 'InvalidWorkingDirectory' }
            @{ Case = 'a user with two groups'; Arguments = @{ Image = 'busybox'; User = '1:2:3' }; ErrorId = 'InvalidUser' }
            @{ Case = 'a network with a colon'; Arguments = @{ Image = 'busybox'; Network = 'container:web' }; ErrorId = 'InvalidNetwork' }
            @{ Case = 'a reserved label'; Arguments = @{ Image = 'busybox'; Label = @{ 'containermanager.job' = '1' } }; ErrorId = 'ReservedLabel' }
            @{ Case = 'a list as a label value'; Arguments = @{ Image = 'busybox'; Label = @{ a = 1, 2 } }; ErrorId = 'InvalidLabel' }
            @{ Case = 'a list as a host label value'; Arguments = @{ Image = 'busybox'; HostLabel = @{ disk = 'ssd', 'hdd' } }; ErrorId = 'InvalidLabel' }
            @{ Case = 'a volume without target'; Arguments = @{ Image = 'busybox'; Volume = 'cache' }; ErrorId = 'InvalidVolume' }
            @{ Case = 'a relative bind source'; Arguments = @{ Image = 'busybox'; BindMount = 'srv:/srv' }; ErrorId = 'InvalidBindMount' }
            @{ Case = 'a name with a line break'; Arguments = @{ Image = 'busybox'; Name = "two`nlines" }; ErrorId = 'InvalidJobName' }
            @{ Case = 'a name of 256 characters'; Arguments = @{ Image = 'busybox'; Name = 'n' * 256 }; ErrorId = 'InvalidJobName' }
            @{ Case = 'an image name of 256 characters'; Arguments = @{ Image = 'a' * 256 }; ErrorId = 'InvalidImage' }
        ) {
            { New-ContainerJob -Database $db @Arguments -ErrorAction Stop } |
                Should -Throw -ErrorId "$ErrorId,ContainerManager.PowerShell.Commands.NewContainerJobCommand"

            Get-JobCount -Database $db | Should -Be 0
        }

        It 'names the key of a SecureString environment value and how to pass a secret' {
            $secure = ConvertTo-SecureString 'hunter2-secret' -AsPlainText -Force

            New-ContainerJob -Database $db -Image busybox -Environment @{ DB_PASSWORD = $secure } `
                -ErrorAction SilentlyContinue -ErrorVariable failures

            $failures[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $failures[0].TargetObject | Should -Be 'DB_PASSWORD'
            $failures[0].Exception.Message | Should -Match "'DB_PASSWORD'"
            $failures[0].Exception.Message | Should -Match 'SecureString'
            $failures[0].Exception.Message | Should -Match 'plain text'
            $failures[0].Exception.Message | Should -Match '-SecretKey'
            Get-JobCount -Database $db | Should -Be 0
        }

        It 'keeps an empty argument as an argument of its own' {
            $job = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -Command 'sh', '-c', 'echo "[$1]"', 'sh', ''

            $job.Command | Should -Be @('sh', '-c', 'echo "[$1]"', 'sh', '')
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

        It 'rejects a command copied from a job whose output masked a secret, and stores nothing more' {
            $source = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -Environment @{ API_TOKEN = 'tok-12345678' } `
                -Command 'sh', '-c', 'echo tok-12345678'

            { New-ContainerJob -Database $db -Image $source.Image -Command $source.Command -ErrorAction Stop } |
                Should -Throw -ErrorId 'MaskedValueGiven,ContainerManager.PowerShell.Commands.NewContainerJobCommand'

            Get-JobCount -Database $db | Should -Be 1
        }

        It 'writes InvalidBindMount naming the value and the expected form' {
            New-ContainerJob -Database $db -Image busybox -BindMount 'data:/data' -ErrorAction SilentlyContinue -ErrorVariable failures

            $failures[0].FullyQualifiedErrorId | Should -Be 'InvalidBindMount,ContainerManager.PowerShell.Commands.NewContainerJobCommand'
            $failures[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $failures[0].TargetObject | Should -Be 'data:/data'
            $failures[0].Exception.Message | Should -Match '/host/path:/container/path'
        }

        It 'writes StoreReadOnly naming the store when the store file cannot be written' {
            New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE | Out-Null
            Set-TestStoreImmutable -Database $db
            try {
                { New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -ErrorAction Stop } |
                    Should -Throw -ErrorId 'StoreReadOnly,ContainerManager.PowerShell.Commands.NewContainerJobCommand'
                $record = $Error[0]
            }
            finally {
                Set-TestStoreImmutable -Database $db -Off
            }

            $record.CategoryInfo.Category | Should -Be 'PermissionDenied'
            $record.TargetObject | Should -Be $db
            $record.Exception.Message | Should -BeLike "*'$db'*"
            $record.Exception.Message | Should -BeLike '*writable*'
            Get-JobCount -Database $db | Should -Be 1
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
