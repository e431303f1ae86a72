BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-ContainerManagerModule
    Assert-TestEngine
    $commandId = 'ContainerManager.PowerShell.Commands.RemoveEnvironmentTemplateCommand'
}

Describe 'Remove-EnvironmentTemplate' {
    BeforeEach {
        $db = New-TestDatabase
        New-EnvironmentTemplate -Database $db -Name 'web' -Text 'MODE=fast' | Out-Null
        New-EnvironmentTemplate -Database $db -Name 'worker' -Text 'MODE=slow' | Out-Null
    }

    Context 'from the pipeline' {
        It 'does not remove a template that only shares its name with a piped job' {
            $job = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -Name 'web'

            $job | Remove-EnvironmentTemplate -Database $db -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failures

            $failures[0].FullyQualifiedErrorId | Should -Be "TemplateNotFound,$commandId"
            (Get-EnvironmentTemplate -Database $db).Name | Should -Be @('web', 'worker')
        }

        It 'removes templates piped from Get-EnvironmentTemplate' {
            Get-EnvironmentTemplate -Database $db -Name 'web' | Remove-EnvironmentTemplate -Database $db -Confirm:$false

            (Get-EnvironmentTemplate -Database $db).Name | Should -Be 'worker'
        }
    }

    Context 'by name' {
        It 'removes the template ignoring case' {
            Remove-EnvironmentTemplate -Database $db -Name 'WEB' -Confirm:$false

            (Get-EnvironmentTemplate -Database $db).Name | Should -Be 'worker'
        }

        It 'writes TemplateNotFound for an unknown name and continues with the next' {
            Remove-EnvironmentTemplate -Database $db -Name 'nope', 'web' -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failures

            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -Be "TemplateNotFound,$commandId"
            $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            (Get-EnvironmentTemplate -Database $db).Name | Should -Be 'worker'
        }
    }

    Context 'from the pipeline' {
        It 'removes the piped templates' {
            Get-EnvironmentTemplate -Database $db -Name 'w*' | Remove-EnvironmentTemplate -Database $db -Confirm:$false

            Get-TemplateCount -Database $db | Should -Be 0
        }
    }

    Context 'with -WhatIf' {
        It 'keeps the template' {
            Remove-EnvironmentTemplate -Database $db -Name 'web' -WhatIf

            Get-TemplateCount -Database $db | Should -Be 2
        }

        It 'asks for confirmation because the removal cannot be undone' {
            $command = Get-Command Remove-EnvironmentTemplate
            $attribute = $command.ImplementingType.GetCustomAttributes([Management.Automation.CmdletAttribute], $false)[0]

            $attribute.ConfirmImpact | Should -Be 'High'
        }
    }

    Context 'when queued jobs use the template' {
        BeforeEach {
            $job = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -Command 'true' -EnvironmentTemplate 'web'
        }

        It 'writes TemplateInUse naming the job and keeps the template' {
            { Remove-EnvironmentTemplate -Database $db -Name 'web' -Confirm:$false -ErrorAction Stop } |
                Should -Throw -ErrorId "TemplateInUse,$commandId"
            Remove-EnvironmentTemplate -Database $db -Name 'web' -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable failures

            $failures[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
            $failures[0].TargetObject.Name | Should -Be 'web'
            $failures[0].Exception.Message | Should -Match "job $($job.Id)\b"
            Get-TemplateCount -Database $db | Should -Be 2
        }

        It 'removes the template with -Force and leaves the job unchanged' {
            Remove-EnvironmentTemplate -Database $db -Name 'web' -Force -Confirm:$false
            $stored = Get-ContainerJob -Database $db -Id $job.Id

            (Get-EnvironmentTemplate -Database $db).Name | Should -Be 'worker'
            $stored.Environment['MODE'] | Should -Be 'fast'
            $stored.Status | Should -Be 'Pending'
        }

        It 'removes the template once the job has run' {
            Invoke-JobProcessor -Database $db -SingleRun -Wait | Out-Null

            Remove-EnvironmentTemplate -Database $db -Name 'web' -Confirm:$false

            (Get-ContainerJob -Database $db -Id $job.Id).Status | Should -Be 'Completed'
            (Get-EnvironmentTemplate -Database $db).Name | Should -Be 'worker'
        }
    }
}
