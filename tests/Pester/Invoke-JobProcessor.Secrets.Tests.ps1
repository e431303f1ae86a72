BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-ContainerManagerModule
    Assert-TestEngine
    $secret = 'correct-horse-battery'
}

Describe 'Invoke-JobProcessor' {
    BeforeEach {
        $db = New-TestDatabase
    }

    Context 'with a secret from an environment template' {
        BeforeEach {
            $path = New-TemplateFile -Database $db -Name 'db.env' -Line @(
                "DB_PASSWORD=$secret"
                'DB_URL=postgres://app:${DB_PASSWORD}@db/app'
                'DB_HOST=db.internal'
            )
            $InformationPreference = 'Continue'

            # Every command a user would run, each with every stream captured. With -Debug,
            # PowerShell asks before each warning unless -WarningAction says otherwise.
            $streams = @{ Verbose = $true; Debug = $true; WarningAction = 'Continue'; ErrorAction = 'Continue' }
            $records = @(
                New-EnvironmentTemplate -Database $db -Name 'db' -Path $path @streams *>&1
                Get-EnvironmentTemplate -Database $db -Name 'db' @streams *>&1
                ConvertFrom-EnvironmentTemplate -Database $db -Name 'db' @streams *>&1
                New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -EnvironmentTemplate 'db' -SecretKey 'DB_HOST' @streams `
                    -Command 'sh', '-c', 'test "$DB_PASSWORD" = correct-horse-battery && echo received' *>&1
                Invoke-JobProcessor -Database $db -SingleRun -Wait @streams *>&1
                Get-ContainerJob -Database $db @streams *>&1
                Get-ContainerJobLog -Database $db -Id 1 @streams *>&1
                Write-Information 'marker for the information stream' *>&1
            )
            $job = Get-ContainerJob -Database $db -Id 1
            $template = Get-EnvironmentTemplate -Database $db -Name 'db'
        }

        It 'gives the container the real value' {
            $stdout = Get-ContainerJobLog -Database $db -Id $job.Id -Stream Stdout

            $job.Status | Should -Be 'Completed'
            $stdout.Text | Should -BeExactly "received`n"
        }

        It 'captures records of every stream that the commands write' {
            @($records | Where-Object { $_ -is [Management.Automation.VerboseRecord] }).Count | Should -BeGreaterThan 3
            @($records | Where-Object { $_ -is [Management.Automation.DebugRecord] }).Count | Should -BeGreaterThan 0
            @($records | Where-Object { $_ -is [Management.Automation.InformationRecord] }).Count | Should -Be 1
            @($records | Where-Object { $_ -is [ContainerManager.Core.Jobs.ContainerJob] }).Count | Should -Be 2
        }

        It 'never shows the value in any of the six streams' {
            $text = $records | ConvertTo-SearchableText

            $text | Should -Match 'DB_PASSWORD'
            $text | Should -Match 'DB_HOST \(secret\)'
            $text | Should -Not -Match $secret
        }

        It 'never shows the value in a format view of the job, the template or its variables' {
            $variables = ConvertFrom-EnvironmentTemplate -Database $db -Name 'db'
            $views = foreach ($item in @($job, $template) + @($variables)) {
                $item | Out-String -Width 300
                $item | Format-Table | Out-String -Width 300
                $item | Format-Table * | Out-String -Width 300
                $item | Format-List | Out-String -Width 300
                $item | Format-List * | Out-String -Width 300
            }
            $text = $views -join "`n"

            $text | Should -Match 'postgres://app:\*{8}@db/app'
            $text | Should -Match 'DB_HOST'
            $text | Should -Not -Match $secret
        }

        It 'never shows the value in ConvertTo-Json of the job or the template' {
            $json = @(
                $job | ConvertTo-Json -Depth 10
                $template | ConvertTo-Json -Depth 10
            ) -join "`n"

            $json | Should -Match '"DB_PASSWORD"'
            $json | Should -Not -Match $secret
        }
    }

    Context 'with a ${env:NAME} reference' {
        It 'resolves the reference from the environment of the processor' {
            $variable = 'CM_PESTER_SOURCE_' + [guid]::NewGuid().ToString('N')
            New-EnvironmentTemplate -Database $db -Name 'ref' -Text "DB_HOST=`${env:$variable}" | Out-Null
            $job = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -Command 'sh', '-c', 'echo "$DB_HOST"' -EnvironmentTemplate 'ref'

            Set-Item "Env:$variable" 'db-from-processor'
            try {
                Invoke-JobProcessor -Database $db -SingleRun -Wait | Out-Null
            }
            finally {
                Remove-Item "Env:$variable"
            }
            $done = Get-ContainerJob -Database $db -Id $job.Id

            $done.Status | Should -Be 'Completed'
            (Get-ContainerJobLog -Database $db -Id $job.Id -Stream Stdout).Text | Should -BeExactly "db-from-processor`n"
            $done.Environment['DB_HOST'] | Should -BeExactly "`${env:$variable}"
        }

        It 'fails the job naming the variable when the processor does not have it' {
            $variable = 'CM_PESTER_MISSING_' + [guid]::NewGuid().ToString('N')
            New-EnvironmentTemplate -Database $db -Name 'ref' -Text "DB_HOST=`${env:$variable}" | Out-Null
            $job = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -Command 'true' -EnvironmentTemplate 'ref'

            $summary = Invoke-JobProcessor -Database $db -SingleRun -Wait -WarningAction SilentlyContinue
            $done = Get-ContainerJob -Database $db -Id $job.Id

            $summary.Failed | Should -Be 1
            $done.Status | Should -Be 'Failed'
            $done.ErrorMessage | Should -Match $variable
            $done.ErrorMessage | Should -Match "'DB_HOST'"
            $done.ContainerId | Should -BeNullOrEmpty
        }
    }
}
