BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-ContainerManagerModule
    $commandId = 'ContainerManager.PowerShell.Commands.SetEnvironmentTemplateCommand'
}

Describe 'Set-EnvironmentTemplate' {
    BeforeEach {
        $db = New-TestDatabase
        $original = New-EnvironmentTemplate -Database $db -Name 'web' -Text "MODE=slow`nREGION=eu-west-1" -Description 'first' -SecretKey 'REGION'
    }

    Context 'with new variables' {
        It 'replaces all variables from -Text and keeps the rest' {
            Start-Sleep -Milliseconds 20
            Set-EnvironmentTemplate -Database $db -Name 'web' -Text 'MODE=fast' -WarningVariable warnings -WarningAction SilentlyContinue
            $template = Get-EnvironmentTemplate -Database $db -Name 'web'

            @($template.Variables.Keys) | Should -Be @('MODE')
            $template.Variables['MODE'] | Should -Be 'fast'
            $warnings.Count | Should -Be 1
            $warnings[0].Message | Should -Match "'REGION' is not defined"
            $template.Description | Should -Be 'first'
            $template.SecretKeys | Should -Be @('REGION')
            $template.Source | Should -Be 'Text'
            $template.CreatedAt | Should -Be $original.CreatedAt
            $template.UpdatedAt | Should -BeGreaterThan $original.UpdatedAt
        }

        It 'replaces all variables from -Path' {
            $path = New-TemplateFile -Database $db -Name 'new.env' -Line @('HOST=h2')

            Set-EnvironmentTemplate -Database $db -Name 'web' -Path $path -WarningAction SilentlyContinue
            $template = Get-EnvironmentTemplate -Database $db -Name 'web'

            @($template.Variables.Keys) | Should -Be @('HOST')
            $template.SourcePath | Should -Be $path
        }

        It 'replaces all variables from -Variables' {
            Set-EnvironmentTemplate -Database $db -Name 'web' -Variables @{ HOST = 'h3' } -WarningAction SilentlyContinue

            (Get-EnvironmentTemplate -Database $db -Name 'web').Variables['HOST'] | Should -Be 'h3'
        }
    }

    Context 'with -Description or -SecretKey' {
        It 'changes the description and keeps the variables' {
            Set-EnvironmentTemplate -Database $db -Name 'web' -Description 'second'
            $template = Get-EnvironmentTemplate -Database $db -Name 'web'

            $template.Description | Should -Be 'second'
            $template.Variables['MODE'] | Should -Be 'slow'
        }

        It 'removes the description when it is empty' {
            Set-EnvironmentTemplate -Database $db -Name 'web' -Description ''

            (Get-EnvironmentTemplate -Database $db -Name 'web').Description | Should -BeNullOrEmpty
        }

        It 'replaces the declared secret keys, which changes what is masked' {
            Set-EnvironmentTemplate -Database $db -Name 'web' -SecretKey 'MODE'
            $template = Get-EnvironmentTemplate -Database $db -Name 'web'

            $template.SecretKeys | Should -Be @('MODE')
            $template.Variables['MODE'] | Should -Be '********'
            $template.Variables['REGION'] | Should -Be 'eu-west-1'
        }
    }

    Context 'from the pipeline' {
        It 'binds the Name of piped templates and keeps their real values' {
            Get-EnvironmentTemplate -Database $db -Name 'web' | Set-EnvironmentTemplate -Database $db -Description 'piped'
            Set-EnvironmentTemplate -Database $db -Name 'web' -SecretKey @()
            $template = Get-EnvironmentTemplate -Database $db -Name 'web'

            $template.Description | Should -Be 'piped'
            $template.Variables['REGION'] | Should -Be 'eu-west-1'
        }

        It 'changes every piped template' {
            New-EnvironmentTemplate -Database $db -Name 'worker' -Text 'A=1' | Out-Null

            Get-EnvironmentTemplate -Database $db | Set-EnvironmentTemplate -Database $db -Description 'all'

            (Get-EnvironmentTemplate -Database $db).Description | Should -Be @('all', 'all')
        }
    }

    Context 'with -PassThru' {
        It 'writes the changed template only with -PassThru' {
            $silent = Set-EnvironmentTemplate -Database $db -Name 'web' -Description 'x'
            $passed = Set-EnvironmentTemplate -Database $db -Name 'web' -Description 'y' -PassThru

            $silent | Should -BeNullOrEmpty
            $passed.Description | Should -Be 'y'
        }
    }

    Context 'with bad input' {
        It 'writes InvalidEnvironmentTemplate with the line and leaves the template unchanged' {
            { Set-EnvironmentTemplate -Database $db -Name 'web' -Text "MODE=fast`nbroken" -ErrorAction Stop } |
                Should -Throw -ErrorId "InvalidEnvironmentTemplate,$commandId"
            Set-EnvironmentTemplate -Database $db -Name 'web' -Text "MODE=fast`nbroken" -ErrorAction SilentlyContinue -ErrorVariable failures

            $failures[0].Exception.Message | Should -Match '<text>:2:'
            (Get-EnvironmentTemplate -Database $db -Name 'web').Variables['MODE'] | Should -Be 'slow'
        }

        It 'writes InvalidEnvironmentValue for a list value and leaves the template unchanged' {
            Set-EnvironmentTemplate -Database $db -Name 'web' -Variables @{ MODE = 'fast', 'slow' } `
                -ErrorAction SilentlyContinue -ErrorVariable failures

            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -Be "InvalidEnvironmentValue,$commandId"
            $failures[0].Exception.Message | Should -Match "'MODE'"
            (Get-EnvironmentTemplate -Database $db -Name 'web').Variables['MODE'] | Should -Be 'slow'
        }

        It 'writes TemplateNotFound for an unknown name and continues with the next' {
            [pscustomobject]@{ Name = 'nope' }, [pscustomobject]@{ Name = 'web' } |
                Set-EnvironmentTemplate -Database $db -Description 'next' -ErrorAction SilentlyContinue -ErrorVariable failures

            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -Be "TemplateNotFound,$commandId"
            (Get-EnvironmentTemplate -Database $db -Name 'web').Description | Should -Be 'next'
        }

        It 'writes NoTemplateChange when nothing is given to change' {
            { Set-EnvironmentTemplate -Database $db -Name 'web' -ErrorAction Stop } |
                Should -Throw -ErrorId "NoTemplateChange,$commandId"
        }
    }

    Context 'with -WhatIf' {
        It 'changes nothing' {
            Set-EnvironmentTemplate -Database $db -Name 'web' -Text 'MODE=fast' -WhatIf

            (Get-EnvironmentTemplate -Database $db -Name 'web').Variables['MODE'] | Should -Be 'slow'
        }
    }
}
