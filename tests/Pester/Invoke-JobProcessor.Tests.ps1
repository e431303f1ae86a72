BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-ContainerManagerModule
    Assert-TestEngine
}

Describe 'Invoke-JobProcessor' {
    BeforeEach {
        $db = New-TestDatabase
    }

    Context 'with -SingleRun -Wait' {
        It 'ends a job that prints to both streams and exits 3 as Failed with each stream apart' {
            $job = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE `
                -Command 'sh', '-c', 'echo out-line; echo err-line >&2; exit 3'

            $summary = Invoke-JobProcessor -Database $db -SingleRun -Wait
            $done = Get-ContainerJob -Database $db -Id $job.Id

            $summary.Launched | Should -Be 1
            $summary.Failed | Should -Be 1
            $done.Status | Should -Be 'Failed'
            $done.ExitCode | Should -Be 3
            (Get-ContainerJobLog -Database $db -Id $job.Id -Stream Stdout).Text | Should -Be "out-line`n"
            (Get-ContainerJobLog -Database $db -Id $job.Id -Stream Stderr).Text | Should -Be "err-line`n"
        }

        It 'ends a job limited to 16 MiB that allocates far more with 137 and the OOM flag' {
            $job = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -MemoryMiB 16 `
                -Command 'dd', 'if=/dev/zero', 'of=/dev/null', 'bs=128M', 'count=1'

            Invoke-JobProcessor -Database $db -SingleRun -Wait | Out-Null
            $done = Get-ContainerJob -Database $db -Id $job.Id

            $done.Status | Should -Be 'Failed'
            $done.ExitCode | Should -Be 137
            $done.OomKilled | Should -BeTrue
            $done.ErrorMessage | Should -Match 'memory limit of 16 MiB'
        }

        It 'ends a job whose image exists nowhere as Failed with a reason naming the image' {
            $image = "$env:CM_TEST_REGISTRY/no-such/image:1"
            $job = New-ContainerJob -Database $db -Image $image

            Invoke-JobProcessor -Database $db -SingleRun -Wait -WarningAction SilentlyContinue | Out-Null
            $done = Get-ContainerJob -Database $db -Id $job.Id

            $done.Status | Should -Be 'Failed'
            $done.ErrorMessage | Should -BeLike "*$image*"
        }

        It 'fails a job whose image the engine rejects and still completes the other due job' {
            # The digest parses here, but sha256 needs 64 hex digits, so the engine rejects the
            # image lookup with 400 Bad Request.
            $image = "$env:CM_TEST_REGISTRY/cmtest/rejected@sha256:$('0' * 32)"
            $rejected = New-ContainerJob -Database $db -Image $image -MaxAttempts 3
            $other = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -Command 'true'

            $summary = Invoke-JobProcessor -Database $db -SingleRun -Wait -ErrorAction Stop -WarningAction SilentlyContinue
            $failed = Get-ContainerJob -Database $db -Id $rejected.Id

            $failed.Status | Should -Be 'Failed'
            $failed.Attempt | Should -Be 1
            $failed.ErrorMessage | Should -BeLike "*invalid*$image*"
            (Get-ContainerJob -Database $db -Id $other.Id).Status | Should -Be 'Completed'
            $summary.Failed | Should -Be 1
            $summary.Completed | Should -Be 1
        }

        It 'leaves no container behind when the container fails to start (<Setting>)' -ForEach @(
            @{ Setting = 'User'; Options = @{ User = 'nosuchuser'; Command = 'true' }; Reason = 'nosuchuser' }
            @{ Setting = 'Network'; Options = @{ Network = 'cm-test-no-such-network'; Command = 'true' }; Reason = 'cm-test-no-such-network' }
            @{ Setting = 'Command'; Options = @{ Command = '/no/such/binary' }; Reason = '/no/such/binary' }
        ) {
            $job = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE @Options

            Invoke-JobProcessor -Database $db -SingleRun -Wait -WarningAction SilentlyContinue | Out-Null
            $done = Get-ContainerJob -Database $db -Id $job.Id
            $storeId = Get-TestStoreId -Database $db
            $left = @(docker ps -a --quiet --filter "label=containermanager.store=$storeId")

            $done.Status | Should -Be 'Failed'
            $done.ErrorMessage | Should -BeLike "*$Reason*"
            $left | Should -HaveCount 0
        }

        It 'completes a job that exits 0 and lists it with Select-Object Id, ExitCode' {
            $job = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -Command 'true'

            Invoke-JobProcessor -Database $db -SingleRun -Wait | Out-Null
            $row = Get-ContainerJob -Database $db -Status Completed | Select-Object Id, ExitCode

            $row.Id | Should -Be $job.Id
            $row.ExitCode | Should -Be 0
        }
    }

    Context 'when the store-wide limit is reached' {
        It 'says that the last run may have had no free slot' {
            $running = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -Command 'sleep', '30'
            $queued = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -Command 'true'

            try {
                Invoke-JobProcessor -Database $db -SingleRun -MaxConcurrentJobs 1 | Out-Null

                (Get-ContainerJob -Database $db -Id $queued.Id).WaitReason | Should -BeLike '*no free slot*'
            }
            finally {
                Stop-ContainerJob -Database $db -Id $running.Id -GracePeriodSeconds 0
            }
        }
    }

    Context 'when the engine is unreachable' {
        It 'throws EngineUnreachable naming the endpoint and leaves the job Pending' {
            $job = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -Command 'true'
            $socket = Join-Path ([IO.Path]::GetTempPath()) "cm-missing-$([guid]::NewGuid().ToString('N')).sock"
            $saved = $env:DOCKER_HOST
            try {
                $env:DOCKER_HOST = "unix://$socket"
                $caught = $null
                try {
                    Invoke-JobProcessor -Database $db -SingleRun -Wait -ErrorAction Stop
                }
                catch {
                    $caught = $_
                }
            }
            finally {
                $env:DOCKER_HOST = $saved
            }

            $caught.FullyQualifiedErrorId | Should -Be 'EngineUnreachable,ContainerManager.PowerShell.Commands.InvokeJobProcessorCommand'
            $caught.CategoryInfo.Category | Should -Be 'ResourceUnavailable'
            $caught.Exception.Message | Should -BeLike "*$socket*"
            $pending = Get-ContainerJob -Database $db -Id $job.Id
            $pending.Status | Should -Be 'Pending'
            $pending.WaitReason | Should -BeLike '*found no engine to use*'
            $pending.WaitReason | Should -BeLike "*$socket*"
        }

        It 'no longer blames the engine once a run reaches it' {
            $job = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -Command 'true' -ScheduledFor (Get-Date).AddHours(1)
            $saved = $env:DOCKER_HOST
            try {
                $env:DOCKER_HOST = "unix://$(Join-Path ([IO.Path]::GetTempPath()) 'cm-missing.sock')"
                Invoke-JobProcessor -Database $db -SingleRun | Out-Null
            }
            catch {
                # EngineUnreachable is expected; what it leaves in the store is checked below.
            }
            finally {
                $env:DOCKER_HOST = $saved
            }

            Invoke-JobProcessor -Database $db -SingleRun | Out-Null
            Set-ContainerJob -Database $db -Id $job.Id -ScheduledFor (Get-Date)

            (Get-ContainerJob -Database $db -Id $job.Id).WaitReason | Should -Not -BeLike '*found no engine*'
            (Get-CmDiagnostic -Database $db -HostTimeoutSeconds 2).Processors[0].LastError | Should -BeNullOrEmpty
        }
    }

    Context 'when the store file cannot be written' {
        It 'throws StoreReadOnly naming the store and leaves the job Pending' {
            $job = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -Command 'true'
            Set-TestStoreImmutable -Database $db
            try {
                { Invoke-JobProcessor -Database $db -SingleRun -Wait -ErrorAction Stop } |
                    Should -Throw -ErrorId 'StoreReadOnly,ContainerManager.PowerShell.Commands.InvokeJobProcessorCommand'
                $record = $Error[0]
            }
            finally {
                Set-TestStoreImmutable -Database $db -Off
            }

            $record.CategoryInfo.Category | Should -Be 'PermissionDenied'
            $record.Exception.Message | Should -BeLike "*'$db'*"
            (Get-ContainerJob -Database $db -Id $job.Id).Status | Should -Be 'Pending'
        }
    }
}
