BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-ContainerManagerModule
    $commandId = 'ContainerManager.PowerShell.Commands.GetEnvironmentTemplateCommand'
}

Describe 'Get-EnvironmentTemplate' {
    BeforeEach {
        $db = New-TestDatabase
        foreach ($name in 'web', 'Worker', 'batch') {
            New-EnvironmentTemplate -Database $db -Name $name -Text "NAME=$name" | Out-Null
        }
    }

    Context 'without a name' {
        It 'lists every template ordered by name' {
            $templates = Get-EnvironmentTemplate -Database $db

            $templates.Name | Should -Be @('batch', 'web', 'Worker')
        }
    }

    Context 'by name' {
        It 'finds a template ignoring case' {
            $template = Get-EnvironmentTemplate -Database $db -Name 'WORKER'

            $template | Should -BeOfType 'ContainerManager.Core.Templates.EnvironmentTemplate'
            $template.Name | Should -Be 'Worker'
        }

        It 'writes TemplateNotFound for an unknown name' {
            { Get-EnvironmentTemplate -Database $db -Name 'nope' -ErrorAction Stop } |
                Should -Throw -ErrorId "TemplateNotFound,$commandId"
        }

        It 'writes TemplateNotFound as ObjectNotFound with the name as target and continues' {
            $templates = Get-EnvironmentTemplate -Database $db -Name 'nope', 'web' -ErrorAction SilentlyContinue -ErrorVariable failures

            $templates.Name | Should -Be 'web'
            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -Be "TemplateNotFound,$commandId"
            $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $failures[0].TargetObject | Should -Be 'nope'
        }
    }

    Context 'with wildcards' {
        It 'returns the templates that match ignoring case' {
            $templates = Get-EnvironmentTemplate -Database $db -Name 'W*'

            $templates.Name | Should -Be @('web', 'Worker')
        }

        It 'returns nothing and writes no error when nothing matches' {
            $templates = Get-EnvironmentTemplate -Database $db -Name 'zz*' -ErrorVariable failures

            $templates | Should -BeNullOrEmpty
            $failures.Count | Should -Be 0
        }
    }

    Context 'from the pipeline' {
        It 'takes names as strings' {
            $templates = 'web', 'batch' | Get-EnvironmentTemplate -Database $db

            $templates.Name | Should -Be @('web', 'batch')
        }

        It 'takes the Name property of piped objects' {
            $templates = [pscustomobject]@{ Name = 'worker' } | Get-EnvironmentTemplate -Database $db

            $templates.Name | Should -Be 'Worker'
        }
    }

    Context 'formatting' {
        It 'shows a table with the name, variable count and source file within 120 columns' {
            $path = New-TemplateFile -Database $db -Name 'app.env' -Line @('A=1', 'DB_PASSWORD=hunter22-hunter')
            New-EnvironmentTemplate -Database $db -Name 'app' -Path $path -Description 'from a file' | Out-Null

            $lines = (Get-EnvironmentTemplate -Database $db -Name 'app' | Out-String -Width 120) -split "`n" |
                Where-Object { $_.Trim() }

            $lines[0] | Should -Match '^Name\s+Variables\s+Source\s+UpdatedAt\s+Description'
            $lines[2] | Should -Match '^app\s+2\s'
            $lines[2] | Should -Match '\sapp\.env\s'
            $lines[2] | Should -Match 'from a file'
            ($lines | Measure-Object -Property Length -Maximum).Maximum | Should -BeLessOrEqual 120
        }

        It 'lists the masked variables and text with Format-List' {
            New-EnvironmentTemplate -Database $db -Name 'app' -Text "A=1`nDB_PASSWORD=hunter22-hunter" | Out-Null

            $text = Get-EnvironmentTemplate -Database $db -Name 'app' | Format-List | Out-String -Width 200

            $text | Should -Match 'A=1'
            $text | Should -Match 'DB_PASSWORD=\*{8}'
            $text | Should -Not -Match 'hunter22-hunter'
        }
    }
}
