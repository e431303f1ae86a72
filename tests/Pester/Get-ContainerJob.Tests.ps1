BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-ContainerManagerModule
    Assert-TestEngine
}

Describe 'Get-ContainerJob' {
    BeforeAll {
        $db = New-TestDatabase
        $backup = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -Name 'backup-db' -Command 'true'
        $report = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -Name 'report' -Command 'false'
        Invoke-JobProcessor -Database $db -SingleRun -Wait | Out-Null
        $pending = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -Name 'backup-files'
    }

    Context 'by id' {
        It 'returns the job with that id' {
            (Get-ContainerJob -Database $db -Id $report.Id).Name | Should -Be 'report'
        }

        It 'writes JobNotFound for an unknown id and continues' {
            $found = Get-ContainerJob -Database $db -Id 999, $backup.Id -ErrorAction SilentlyContinue -ErrorVariable failures

            $found.Id | Should -Be $backup.Id
            $failures.Count | Should -Be 1
            $failures[0].FullyQualifiedErrorId | Should -Be 'JobNotFound,ContainerManager.PowerShell.Commands.GetContainerJobCommand'
            $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $failures[0].TargetObject | Should -Be 999
        }
    }

    Context 'by status and name' {
        It 'lists only jobs with the given status' {
            (Get-ContainerJob -Database $db -Status Failed).Id | Should -Be $report.Id
            (Get-ContainerJob -Database $db -Status Completed, Pending).Id | Should -Be @($pending.Id, $backup.Id)
        }

        It 'matches names with wildcards without regard to case' {
            (Get-ContainerJob -Database $db -Name 'BACKUP*').Name | Should -Be @('backup-files', 'backup-db')
        }

        It 'lists newest first and honours -First' {
            (Get-ContainerJob -Database $db -First 1).Id | Should -Be $pending.Id
        }
    }

    Context 'from the pipeline' {
        It 'binds ids from piped jobs by property name' {
            $ids = Get-ContainerJob -Database $db -Status Failed | Get-ContainerJob -Database $db | ForEach-Object Id

            $ids | Should -Be $report.Id
        }

        It 'binds plain numbers by value' {
            ($backup.Id | Get-ContainerJob -Database $db).Name | Should -Be 'backup-db'
        }

        It 'binds the JobId of piped attempts and events' {
            $fromAttempt = Get-ContainerJobAttempt -Database $db -Id $report.Id | Get-ContainerJob -Database $db
            $fromEvent = Get-ContainerJobEvent -Database $db -Id $report.Id | Select-Object -First 1 |
                Get-ContainerJob -Database $db

            $fromAttempt.Id | Should -Be $report.Id
            $fromEvent.Id | Should -Be $report.Id
        }
    }

    Context 'across processes' {
        It 'reads back in one pwsh process a job created in another' {
            $created = Invoke-IsolatedPwsh "(New-ContainerJob -Database '$db' -Image '$env:CM_TEST_IMAGE' -Name 'from-child' -Command 'echo','hi').Id"
            $id = [long]("$created".Trim())

            $job = Get-ContainerJob -Database $db -Id $id

            $job.Name | Should -Be 'from-child'
            $job.Command | Should -Be @('echo', 'hi')
            $job.Status | Should -Be 'Pending'
        }

        It 'shows in a new process the result of a job run by another' {
            $id = $report.Id
            $output = Invoke-IsolatedPwsh "`$j = Get-ContainerJob -Database '$db' -Id $id; `"`$(`$j.Status) `$(`$j.ExitCode)`""

            "$output".Trim() | Should -Be 'Failed 1'
        }
    }

    Context 'formatting' {
        It 'renders the default table within 120 columns' {
            $lines = Get-ContainerJob -Database $db | Format-Table | Out-String -Width 200 -Stream

            ($lines | Where-Object { $_.TrimEnd().Length -gt 120 }) | Should -BeNullOrEmpty
            ($lines -join "`n") | Should -Match 'Id\s+Name\s+Status\s+ExitCode'
        }
    }

    Context 'with a store path that names no store' {
        It 'writes StoreNotFound for a missing file and creates nothing' {
            $db = New-TestDatabase
            $missing = Join-Path (Split-Path $db) 'typo/jobs.db'

            { Get-ContainerJob -Database $missing -ErrorAction Stop } | Should -Throw -ErrorId 'StoreNotFound,*'
            $record = $Error[0]

            $record.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $record.Exception.Message | Should -BeLike "*$missing*"
            $record.Exception.Message | Should -BeLike '*New-ContainerJob*'
            Test-Path (Split-Path $missing) | Should -BeFalse
        }

        It 'writes StoreNotFound for a missing file named by CONTAINER_MANAGER_DB' {
            $db = New-TestDatabase
            $env:CONTAINER_MANAGER_DB = $db
            try {
                { Get-ContainerJob -ErrorAction Stop } | Should -Throw -ErrorId 'StoreNotFound,*'
            }
            finally {
                Remove-Item Env:CONTAINER_MANAGER_DB
            }

            Test-Path $db | Should -BeFalse
        }

        It 'writes InvalidDatabasePath for a folder and names the file to give' {
            $folder = Split-Path (New-TestDatabase)
            New-Item -ItemType Directory -Path $folder -Force | Out-Null

            { Get-ContainerJob -Database $folder -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidDatabasePath,*'
            $Error[0].Exception.Message | Should -BeLike "*$(Join-Path $folder 'jobs.db')*"
            @(Get-ChildItem $folder).Count | Should -Be 0
        }

        It 'writes InvalidDatabasePath for <Path> and creates no file' -ForEach @(
            @{ Path = 'env:/cm-pester-store' }
            @{ Path = 'variable:cm-pester-store' }
            @{ Path = 'cm-pester-missing-drive:/jobs.db' }
            @{ Path = ' ' }
        ) {
            # A path on another provider used to become a file of that name in the process's
            # working folder, so that folder is a fresh one here.
            $folder = Split-Path (New-TestDatabase)
            $savedDirectory = [Environment]::CurrentDirectory
            [Environment]::CurrentDirectory = $folder
            Push-Location $folder
            try {
                { New-ContainerJob -Database $Path -Image $env:CM_TEST_IMAGE -ErrorAction Stop } |
                    Should -Throw -ErrorId 'InvalidDatabasePath,*'
                $record = $Error[0]
                { Get-ContainerJob -Database $Path -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidDatabasePath,*'
            }
            finally {
                Pop-Location
                [Environment]::CurrentDirectory = $savedDirectory
            }

            $record.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $record.TargetObject | Should -Be $Path
            $record.Exception.Message | Should -BeLike "*'$Path'*"
            $record.Exception.Message | Should -BeLike '*file*path*'
            @(Get-ChildItem $folder).Count | Should -Be 0
        }

        It 'lets New-ContainerJob create the store' {
            $db = New-TestDatabase

            New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE | Out-Null

            @(Get-ContainerJob -Database $db).Count | Should -Be 1
        }
    }
}
