# Routing of jobs to executor hosts, checked against the engines' own container lists.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-ContainerManagerModule
    Assert-TestEngine
    if (-not $env:CM_TEST_SECOND_HOST) {
        throw 'CM_TEST_SECOND_HOST is not set. Run tests/fixtures/test-engine.sh start and source its env file.'
    }

    $module = Join-Path $env:CM_MODULE_PATH 'ContainerManager.psd1'
}

Describe 'Invoke-JobProcessor' {
    Context 'with two executor hosts of capacity 2' {
        It 'runs 10 jobs with never more than 2 at once on either engine' {
            $db = New-TestDatabase
            New-ExecutorHost -Database $db -Name 'first' -Endpoint $env:DOCKER_HOST -MaxConcurrentJobs 2 | Out-Null
            New-ExecutorHost -Database $db -Name 'second' -Endpoint $env:CM_TEST_SECOND_HOST -MaxConcurrentJobs 2 | Out-Null
            $jobs = 1..10 | ForEach-Object {
                New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -Name "routed-$_" -Command 'sh', '-c', 'sleep 1.5'
            }

            # Samples each engine's running containers of this store while the jobs run.
            $label = "label=containermanager.store=$(Get-TestStoreId -Database $db)"
            $sampler = Start-ThreadJob -ArgumentList $env:DOCKER_HOST, $env:CM_TEST_SECOND_HOST, $label {
                param($first, $second, $label)
                $max = @{ first = 0; second = 0 }
                $deadline = (Get-Date).AddSeconds(120)
                while ((Get-Date) -lt $deadline -and -not (Test-Path variable:stop)) {
                    foreach ($pair in @(@('first', $first), @('second', $second))) {
                        $count = @(docker -H $pair[1] ps -q --filter $label).Count
                        if ($count -gt $max[$pair[0]]) {
                            $max[$pair[0]] = $count
                        }
                    }

                    if ([IO.File]::Exists("$using:db.done")) {
                        break
                    }

                    Start-Sleep -Milliseconds 100
                }

                $max
            }

            $command = "Import-Module '$module'; Invoke-JobProcessor -Database '$db' -MaxConcurrentJobs 10 -PollIntervalSeconds 0.1"
            $processor = Start-Process -FilePath (Get-PwshPath) -ArgumentList '-NoProfile', '-NonInteractive', '-Command', $command -PassThru
            try {
                $deadline = (Get-Date).AddSeconds(120)
                while (@(Get-ContainerJob -Database $db -Status Pending, Launching, Running, Retrying).Count -gt 0) {
                    (Get-Date) -lt $deadline | Should -BeTrue -Because 'all jobs finish within 120 s'
                    Start-Sleep -Milliseconds 200
                }
            }
            finally {
                & /bin/kill -s TERM $processor.Id
                $processor.WaitForExit(30000) | Out-Null
                New-Item -ItemType File "$db.done" | Out-Null
            }

            $max = $sampler | Wait-Job | Receive-Job
            $done = Get-ContainerJob -Database $db

            @($done | Where-Object Status -EQ 'Completed').Count | Should -Be 10
            $max['first'] | Should -BeLessOrEqual 2
            $max['second'] | Should -BeLessOrEqual 2
            $max['first'] | Should -BeGreaterThan 0
            $max['second'] | Should -BeGreaterThan 0
            ($done.HostName | Sort-Object -Unique) | Should -Be @('first', 'second')
        }

        It 'runs a job that names a host on that host only' {
            $db = New-TestDatabase
            New-ExecutorHost -Database $db -Name 'first' -Endpoint $env:DOCKER_HOST | Out-Null
            New-ExecutorHost -Database $db -Name 'second' -Endpoint $env:CM_TEST_SECOND_HOST -Labels @{ disk = 'ssd' } | Out-Null
            $named = 1..3 | ForEach-Object { New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -Command 'true' -HostName 'second' }
            $labelled = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -Command 'true' -HostLabel @{ disk = 'ssd' }

            Invoke-JobProcessor -Database $db -SingleRun -Wait | Out-Null

            ($named | Get-ContainerJob -Database $db).HostName | Sort-Object -Unique | Should -Be 'second'
            (Get-ContainerJob -Database $db -Id $labelled.Id).HostName | Should -Be 'second'
        }

        It 'keeps jobs Pending when every host is unreachable, naming the endpoint' {
            $db = New-TestDatabase
            $missing = "unix://$([IO.Path]::GetTempPath())cm-missing-$([guid]::NewGuid().ToString('N')).sock"
            New-ExecutorHost -Database $db -Name 'gone' -Endpoint $missing | Out-Null
            $job = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -Command 'true'

            { Invoke-JobProcessor -Database $db -SingleRun -Wait -ErrorAction Stop -WarningAction SilentlyContinue } |
                Should -Throw -ErrorId 'EngineUnreachable,ContainerManager.PowerShell.Commands.InvokeJobProcessorCommand'

            $pending = Get-ContainerJob -Database $db -Id $job.Id
            $pending.Status | Should -Be 'Pending'
            $pending.WaitReason | Should -BeLike "*found no engine to use*$missing*"
            (Get-ExecutorHost -Database $db -Name 'gone').LastHealth.Ok | Should -BeFalse
        }

        It 'says that every host is disabled when no host takes jobs' {
            $db = New-TestDatabase
            New-ExecutorHost -Database $db -Name 'off' -Endpoint $env:DOCKER_HOST | Out-Null
            Disable-ExecutorHost -Database $db -Name 'off'
            $job = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -Command 'true'

            (Get-ContainerJob -Database $db -Id $job.Id).WaitReason | Should -BeLike '*every executor host is disabled*Enable-ExecutorHost*'
        }
    }

    Context 'when a queued job waits for a host' {
        BeforeEach {
            $db = New-TestDatabase
            New-ExecutorHost -Database $db -Name 'first' -Endpoint $env:DOCKER_HOST -Labels @{ disk = 'ssd' } | Out-Null
            $missing = "unix://$([IO.Path]::GetTempPath())cm-missing-$([guid]::NewGuid().ToString('N')).sock"
            New-ExecutorHost -Database $db -Name 'gone' -Endpoint $missing | Out-Null
        }

        It 'names labels that no host has' {
            $job = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -Command 'true' -HostLabel @{ disk = 'nvme' }

            Invoke-JobProcessor -Database $db -SingleRun -WarningAction SilentlyContinue | Out-Null

            (Get-ContainerJob -Database $db -Id $job.Id).WaitReason | Should -BeLike '*no executor host can take it*disk=nvme*'
        }

        It 'names the failed check of the host the job asks for' {
            $job = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -Command 'true' -HostName 'gone'

            Invoke-JobProcessor -Database $db -SingleRun -WarningAction SilentlyContinue | Out-Null

            $reason = (Get-ContainerJob -Database $db -Id $job.Id).WaitReason
            $reason | Should -BeLike "*host 'gone' failed its last health check*"
            $reason | Should -BeLike "*$missing*"
        }

        It 'says that a full host keeps the job queued' {
            Set-ExecutorHost -Database $db -Name 'first' -MaxConcurrentJobs 1
            $first = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -Command 'sleep', '30'
            $second = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -Command 'true'

            try {
                Invoke-JobProcessor -Database $db -SingleRun -WarningAction SilentlyContinue | Out-Null

                (Get-ContainerJob -Database $db -Id $second.Id).WaitReason | Should -BeLike '*at capacity*'
            }
            finally {
                Stop-ContainerJob -Database $db -Id $first.Id -GracePeriodSeconds 0
            }
        }
    }
}
