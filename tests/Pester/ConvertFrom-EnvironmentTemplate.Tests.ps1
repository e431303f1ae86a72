BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-ContainerManagerModule
    $secret = 'correct-horse-battery'
    $commandId = 'ContainerManager.PowerShell.Commands.ConvertFromEnvironmentTemplateCommand'
}

Describe 'ConvertFrom-EnvironmentTemplate' {
    BeforeEach {
        $db = New-TestDatabase
        $path = New-TemplateFile -Database $db -Name 'app.env' -Line @(
            '# app'
            'MODE=fast'
            "DB_PASSWORD=$secret"
            'DB_URL=postgres://app:${DB_PASSWORD}@db/app'
            'REGION=eu-west-1'
        )
    }

    Context 'from a file' {
        It 'writes one object per variable with key, masked value, secret flag, line and source' {
            $variables = ConvertFrom-EnvironmentTemplate -Path $path

            $variables | Should -HaveCount 4
            $variables[0] | Should -BeOfType 'ContainerManager.Core.Templates.TemplateVariable'
            $variables.Key | Should -Be @('MODE', 'DB_PASSWORD', 'DB_URL', 'REGION')
            $variables.Value | Should -Be @('fast', '********', 'postgres://app:********@db/app', 'eu-west-1')
            $variables.IsSecret | Should -Be @($false, $true, $false, $false)
            $variables.LineNumber | Should -Be @(2, 3, 4, 5)
            $variables.Source | Should -Be @($path, $path, $path, $path)
        }

        It 'masks the keys given with -SecretKey' {
            $region = ConvertFrom-EnvironmentTemplate -Path $path -SecretKey 'region' | Where-Object Key -EQ 'REGION'

            $region.IsSecret | Should -BeTrue
            $region.Value | Should -Be '********'
        }

        It 'stores nothing and creates no store file' {
            $defaultStore = Join-Path (Split-Path $db) 'default.db'
            $saved = $env:CONTAINER_MANAGER_DB
            $env:CONTAINER_MANAGER_DB = $defaultStore
            try {
                ConvertFrom-EnvironmentTemplate -Path $path | Out-Null
            }
            finally {
                $env:CONTAINER_MANAGER_DB = $saved
            }

            Test-Path $defaultStore | Should -BeFalse
            Test-Path $db | Should -BeFalse
        }

        It 'writes the variable of the last definition of a duplicate key and one warning per duplicate' {
            $dup = New-TemplateFile -Database $db -Name 'dup.env' -Line @('A=1', 'B=2', 'A=3', 'B=4')

            $variables = ConvertFrom-EnvironmentTemplate -Path $dup -WarningVariable warnings -WarningAction SilentlyContinue

            $warnings.Count | Should -Be 2
            $variables.Key | Should -Be @('A', 'B')
            $variables.Value | Should -Be @('3', '4')
            $variables.LineNumber | Should -Be @(3, 4)
        }
    }

    Context 'from text' {
        It 'parses piped lines as one text' {
            $variables = 'A=1', '# note', 'B="two', 'lines"' | ConvertFrom-EnvironmentTemplate

            $variables.Key | Should -Be @('A', 'B')
            $variables.Value | Should -Be @('1', "two`nlines")
            $variables.LineNumber | Should -Be @(1, 3)
            $variables.Source | Should -Be @('<text>', '<text>')
        }

        It 'parses text given with -Text' {
            $variable = ConvertFrom-EnvironmentTemplate -Text 'A=x'

            $variable.Key | Should -Be 'A'
            $variable.Value | Should -Be 'x'
        }
    }

    Context 'from a stored template' {
        It 'writes the variables with the declared secret keys masked' {
            New-EnvironmentTemplate -Database $db -Name 'web' -Path $path -SecretKey 'REGION' | Out-Null

            $variables = ConvertFrom-EnvironmentTemplate -Database $db -Name 'WEB'

            $variables.Key | Should -Be @('MODE', 'DB_PASSWORD', 'DB_URL', 'REGION')
            ($variables | Where-Object Key -EQ 'REGION').Value | Should -Be '********'
            $variables.Source | Should -Be @('web', 'web', 'web', 'web')
        }

        It 'writes TemplateNotFound for an unknown name' {
            Initialize-TestStore -Database $db

            { ConvertFrom-EnvironmentTemplate -Database $db -Name 'nope' -ErrorAction Stop } |
                Should -Throw -ErrorId "TemplateNotFound,$commandId"
        }
    }

    Context 'with a bad template' {
        It 'writes InvalidEnvironmentTemplate with the line numbers' {
            $bad = New-TemplateFile -Database $db -Name 'bad.env' -Line @('OK=1', 'no equals', 'ALSO OK=2')

            { ConvertFrom-EnvironmentTemplate -Path $bad -ErrorAction Stop } |
                Should -Throw -ErrorId "InvalidEnvironmentTemplate,$commandId"
            ConvertFrom-EnvironmentTemplate -Path $bad -ErrorAction SilentlyContinue -ErrorVariable failures

            $failures[0].Exception.Message | Should -Match ([regex]::Escape("${bad}:2:"))
            $failures[0].Exception.Message | Should -Match ([regex]::Escape("${bad}:3:"))
        }

        It 'writes nothing for a bad file and goes on with the next file' {
            $bad = New-TemplateFile -Database $db -Name 'bad.env' -Line @('no equals')
            $missing = Join-Path (Split-Path $db) 'missing.env'

            $variables = ConvertFrom-EnvironmentTemplate -Path $bad, $missing, $path -ErrorAction SilentlyContinue -ErrorVariable failures

            $failures.FullyQualifiedErrorId | Should -Be @(
                "InvalidEnvironmentTemplate,$commandId"
                "TemplateFileNotFound,$commandId"
            )
            $variables | Should -HaveCount 4
        }
    }

    Context 'with a secret value' {
        It 'never shows the value in any stream, view or JSON' {
            New-EnvironmentTemplate -Database $db -Name 'web' -Path $path | Out-Null
            $InformationPreference = 'Continue'

            $records = @(
                ConvertFrom-EnvironmentTemplate -Path $path -Verbose -Debug -WarningAction Continue *>&1
                ConvertFrom-EnvironmentTemplate -Database $db -Name 'web' -Verbose -Debug -WarningAction Continue *>&1
                Get-Content $path | ConvertFrom-EnvironmentTemplate -Verbose -Debug -WarningAction Continue *>&1
            )
            $text = $records | ConvertTo-SearchableText

            @($records | Where-Object Key -EQ 'DB_PASSWORD').Count | Should -Be 3
            $text | Should -Match 'DB_PASSWORD'
            $text | Should -Not -Match $secret
        }
    }
}
