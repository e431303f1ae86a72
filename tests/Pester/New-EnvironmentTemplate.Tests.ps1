BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-ContainerManagerModule
    $secret = 'correct-horse-battery'
    $commandId = 'ContainerManager.PowerShell.Commands.NewEnvironmentTemplateCommand'
}

Describe 'New-EnvironmentTemplate' {
    BeforeEach {
        $db = New-TestDatabase
    }

    Context 'from a file' {
        It 'round-trips the text, keys, values, description and declared secret keys' {
            $path = New-TemplateFile -Database $db -Name 'app.env' -Line @(
                '# web front end'
                'APP_MODE=production'
                'DB_HOST=db.internal'
                "DB_PASSWORD=$secret"
                'REGION=eu-west-1'
                'GREETING="hello world" # quoted'
            )

            $created = New-EnvironmentTemplate -Database $db -Name 'web' -Path $path -Description 'web app' -SecretKey 'REGION'
            $template = Get-EnvironmentTemplate -Database $db -Name 'web'

            $template.Name | Should -Be 'web'
            $template.Description | Should -Be 'web app'
            $template.Source | Should -Be 'File'
            $template.SourcePath | Should -Be $path
            $template.SecretKeys | Should -Be @('REGION')
            @($template.Variables.Keys) | Should -Be @('APP_MODE', 'DB_HOST', 'DB_PASSWORD', 'REGION', 'GREETING')
            $template.Variables['APP_MODE'] | Should -Be 'production'
            $template.Variables['DB_HOST'] | Should -Be 'db.internal'
            $template.Variables['GREETING'] | Should -Be 'hello world'
            $template.Variables['DB_PASSWORD'] | Should -Be '********'
            $template.Variables['REGION'] | Should -Be '********'
            $template.Text | Should -BeExactly ((Get-Content -Raw $path).Replace($secret, '********').Replace('eu-west-1', '********'))
            $created.Text | Should -BeExactly $template.Text
            $template.CreatedAt | Should -Be $created.CreatedAt
        }

        It 'gives the real values to jobs created from it' {
            $path = New-TemplateFile -Database $db -Name 'app.env' -Line @('MODE=fast', "DB_PASSWORD=$secret")
            New-EnvironmentTemplate -Database $db -Name 'web' -Path $path | Out-Null

            $job = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -EnvironmentTemplate 'web'

            $job.Environment['MODE'] | Should -Be 'fast'
            $job.Environment['DB_PASSWORD'] | Should -Be '********'
            $job.EnvironmentTemplates | Should -Be @('web')
        }

        It 'writes one warning per duplicate key and still stores the template' {
            $path = New-TemplateFile -Database $db -Name 'dup.env' -Line @('A=1', 'B=2', 'A=3', 'B=4', 'A=5')

            $template = New-EnvironmentTemplate -Database $db -Name 'dup' -Path $path -WarningVariable warnings -WarningAction SilentlyContinue

            $warnings.Count | Should -Be 3
            $warnings[0].Message | Should -BeLike "${path}:3:*'A'*line 1*"
            $template.Variables['A'] | Should -Be '5'
            $template.Variables['B'] | Should -Be '4'
        }

        It 'warns about a declared secret key that the file does not define' {
            $path = New-TemplateFile -Database $db -Name 'app.env' -Line @('DB_PASS_WORD=x')

            New-EnvironmentTemplate -Database $db -Name 'web' -Path $path -SecretKey 'DB_PASSWROD' -WarningVariable warnings -WarningAction SilentlyContinue | Out-Null

            $warnings.Count | Should -Be 1
            $warnings[0].Message | Should -Match "'DB_PASSWROD' is not defined"
        }

        It 'resolves a relative path from the current location' {
            New-TemplateFile -Database $db -Name 'rel.env' -Line @('A=1') | Out-Null
            Push-Location (Split-Path $db)
            try {
                $template = New-EnvironmentTemplate -Database $db -Name 'rel' -Path './rel.env'
            }
            finally {
                Pop-Location
            }

            $template.SourcePath | Should -Be (Join-Path (Split-Path $db) 'rel.env')
        }
    }

    Context 'from text or a hashtable' {
        It 'stores text given with -Text' {
            $template = New-EnvironmentTemplate -Database $db -Name 'inline' -Text "A=1`nB=`${A}2"

            $template.Source | Should -Be 'Text'
            $template.SourcePath | Should -BeNullOrEmpty
            $template.Variables['B'] | Should -Be '12'
        }

        It 'stores hashtable values literally with keys in sorted order' {
            $template = New-EnvironmentTemplate -Database $db -Name 'table' -Variables @{ ZED = '$HOME "quoted"'; ALPHA = "two`nlines" }

            $template.Source | Should -Be 'Hashtable'
            @($template.Variables.Keys) | Should -Be @('ALPHA', 'ZED')
            $template.Variables['ZED'] | Should -BeExactly '$HOME "quoted"'
            $template.Variables['ALPHA'] | Should -BeExactly "two`nlines"
        }

        It 'keeps the order of an ordered dictionary' {
            $template = New-EnvironmentTemplate -Database $db -Name 'ordered' -Variables ([ordered]@{ ZED = '1'; ALPHA = '2' })

            @($template.Variables.Keys) | Should -Be @('ZED', 'ALPHA')
        }

        It 'rejects <Case> as a hashtable value, naming the key, and stores nothing' -ForEach @(
            @{ Case = 'a list'; Value = @(1, 2) }
            @{ Case = 'a hashtable'; Value = @{ A = 1 } }
            @{ Case = 'a SecureString'; Value = (ConvertTo-SecureString 'x' -AsPlainText -Force) }
            @{ Case = 'a scriptblock'; Value = { 'x' } }
        ) {
            New-EnvironmentTemplate -Database $db -Name 'table' -Variables @{ GOOD = '1'; BAD_VALUE = $Value } `
                -ErrorAction SilentlyContinue -ErrorVariable failures

            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -Be "InvalidEnvironmentValue,$commandId"
            $failures[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $failures[0].TargetObject | Should -Be 'BAD_VALUE'
            $failures[0].Exception.Message | Should -Match "'BAD_VALUE'"
            Get-TemplateCount -Database $db | Should -Be 0
        }

        It 'stores numbers and booleans from a hashtable as invariant text' {
            $template = New-EnvironmentTemplate -Database $db -Name 'table' -Variables @{ PORT = 8080; RATIO = 0.5; DEBUG = $false }

            $template.Variables['PORT'] | Should -BeExactly '8080'
            $template.Variables['RATIO'] | Should -BeExactly '0.5'
            $template.Variables['DEBUG'] | Should -BeExactly 'False'
        }

        It 'writes InvalidEnvironmentTemplate for hashtable keys that are not variable names' {
            { New-EnvironmentTemplate -Database $db -Name 'table' -Variables @{ '1BAD' = 'x' } -ErrorAction Stop } |
                Should -Throw -ErrorId "InvalidEnvironmentTemplate,$commandId"

            Get-TemplateCount -Database $db | Should -Be 0
        }
    }

    Context 'with a bad template file' {
        It 'writes InvalidEnvironmentTemplate with every bad line and stores nothing' {
            $path = New-TemplateFile -Database $db -Name 'bad.env' -Line @(
                'GOOD=1'
                'this line has no equals sign'
                'ALSO_GOOD=2'
                '1BAD=3'
                'QUOTE="never closed'
            )

            { New-EnvironmentTemplate -Database $db -Name 'bad' -Path $path -ErrorAction Stop } |
                Should -Throw -ErrorId "InvalidEnvironmentTemplate,$commandId"
            New-EnvironmentTemplate -Database $db -Name 'bad' -Path $path -ErrorAction SilentlyContinue -ErrorVariable failures

            $failures.Count | Should -Be 1
            $failures[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $failures[0].TargetObject | Should -Be $path
            $failures[0].Exception.Message | Should -Match ([regex]::Escape("${path}:2:"))
            $failures[0].Exception.Message | Should -Match ([regex]::Escape("${path}:4:"))
            $failures[0].Exception.Message | Should -Match ([regex]::Escape("${path}:5:"))
            $failures[0].Exception.Message | Should -Not -Match ([regex]::Escape("${path}:1:"))
            $failures[0].Exception.Message | Should -Not -Match ([regex]::Escape("${path}:3:"))
            Get-TemplateCount -Database $db | Should -Be 0
        }

        It 'does not show a secret value from a bad line in the error' {
            $path = New-TemplateFile -Database $db -Name 'bad.env' -Line @("DB_PASSWORD=`"$secret", "$secret without equals")

            $records = New-EnvironmentTemplate -Database $db -Name 'bad' -Path $path -Verbose -Debug `
                -ErrorAction Continue -WarningAction Continue *>&1
            $text = $records | ConvertTo-SearchableText

            @($records | Where-Object { $_ -is [Management.Automation.ErrorRecord] }).Count | Should -Be 1
            $text | Should -Match 'InvalidEnvironmentTemplate'
            $text | Should -Not -Match $secret
        }

        It 'writes TemplateFileNotFound for a missing file' {
            $missing = Join-Path (Split-Path $db) 'missing.env'

            { New-EnvironmentTemplate -Database $db -Name 'gone' -Path $missing -ErrorAction Stop } |
                Should -Throw -ErrorId "TemplateFileNotFound,$commandId"

            Get-TemplateCount -Database $db | Should -Be 0
        }
    }

    Context 'with a name that is taken or invalid' {
        It 'writes TemplateAlreadyExists for the same name in another case and keeps the first' {
            New-EnvironmentTemplate -Database $db -Name 'Web' -Text 'A=1' | Out-Null

            { New-EnvironmentTemplate -Database $db -Name 'WEB' -Text 'A=2' -ErrorAction Stop } |
                Should -Throw -ErrorId "TemplateAlreadyExists,$commandId"

            (Get-EnvironmentTemplate -Database $db -Name 'web').Variables['A'] | Should -Be '1'
        }

        It 'writes InvalidTemplateName for a name with a space' {
            { New-EnvironmentTemplate -Database $db -Name 'my web' -Text 'A=1' -ErrorAction Stop } |
                Should -Throw -ErrorId "InvalidTemplateName,$commandId"
        }
    }

    Context 'with -WhatIf' {
        It 'stores nothing' {
            New-EnvironmentTemplate -Database $db -Name 'web' -Text 'A=1' -WhatIf

            Get-TemplateCount -Database $db | Should -Be 0
        }
    }

    Context 'with a secret value' {
        It 'never shows the value in any stream, view or JSON' {
            $path = New-TemplateFile -Database $db -Name 'app.env' -Line @(
                "DB_PASSWORD=$secret"
                'DB_URL=postgres://app:${DB_PASSWORD}@db/app'
                'A=1'
                'A=2'
            )
            $InformationPreference = 'Continue'

            $records = New-EnvironmentTemplate -Database $db -Name 'web' -Path $path -SecretKey 'MISSING' -Verbose -Debug `
                -WarningAction Continue *>&1
            $text = $records | ConvertTo-SearchableText

            @($records | Where-Object { $_ -is [Management.Automation.VerboseRecord] }).Count | Should -BeGreaterThan 0
            @($records | Where-Object { $_ -is [Management.Automation.WarningRecord] }).Count | Should -Be 2
            $text | Should -Match 'DB_URL'
            $text | Should -Match 'postgres://app:\*{8}@db/app'
            $text | Should -Not -Match $secret
        }
    }
}
