# Crash safety and concurrency of the processor, with real pwsh processes on the real engine.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-ContainerManagerModule
    Assert-TestEngine

    $module = Join-Path $env:CM_MODULE_PATH 'ContainerManager.psd1'

    function Start-Processor {
        param([string] $Database, [string] $Arguments, [string] $LogPath)
        $command = "Import-Module '$module'; Invoke-JobProcessor -Database '$Database' $Arguments -Verbose *>&1 | Out-File '$LogPath'"
        # A shell without job control starts background commands with SIGINT ignored, and
        # .NET keeps an ignored SIGINT ignored, as nohup expects. CI may run the suite like
        # that, so env gives the processor the default SIGINT that a terminal's Ctrl+C meets.
        Start-Process -FilePath /usr/bin/env -PassThru -ArgumentList '--default-signal=INT',
            (Get-PwshPath), '-NoProfile', '-NonInteractive', '-Command', $command
    }

    function Wait-Until {
        param([scriptblock] $Condition, [int] $Seconds, [string] $What)
        $deadline = (Get-Date).AddSeconds($Seconds)
        while (-not (& $Condition)) {
            if ((Get-Date) -gt $deadline) {
                throw "Timed out after $Seconds s waiting for $What."
            }

            Start-Sleep -Milliseconds 200
        }
    }

    function Start-CreateEventRecorder {
        # Records every container the engine creates for the store from now on, by name. The
        # engine keeps only its last 256 events, so they are streamed live rather than read
        # afterwards.
        param([string] $Database, [string] $Path)
        $arguments = 'events', '--filter', 'type=container', '--filter', 'event=create',
            '--filter', "label=containermanager.store=$(Get-TestStoreId -Database $Database)",
            '--format', '{{.Actor.Attributes.name}}'
        $recorder = Start-Process -FilePath docker -ArgumentList $arguments -RedirectStandardOutput $Path -PassThru
        Start-Sleep -Milliseconds 500
        return $recorder
    }

    function Stop-CreateEventRecorder {
        param($Recorder, [string] $Path)
        Start-Sleep -Milliseconds 500
        $Recorder.Kill()
        $Recorder.WaitForExit()
        return @(Get-Content $Path | Where-Object { $_ })
    }
}

Describe 'Invoke-JobProcessor' {
    Context 'when a processor is killed with 20 jobs running' {
        It 'lets the next processor bring every job to its right final status with one container per attempt' {
            $db = New-TestDatabase
            $log = "$db.processor.log"
            $jobs = 1..20 | ForEach-Object {
                New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -Name "crash-$_" `
                    -Command 'sh', '-c', "sleep 20; exit $($_ % 3)"
            }
            $recorder = Start-CreateEventRecorder -Database $db -Path "$db.events"
            $processor = Start-Processor -Database $db -LogPath $log `
                -Arguments '-MaxConcurrentJobs 20 -PollIntervalSeconds 0.1 -LeaseSeconds 3'
            try {
                # Each job sleeps long enough that all 20 run at once even on a loaded machine.
                Wait-Until -Seconds 90 -What '20 running jobs' {
                    @(Get-ContainerJob -Database $db -Status Running).Count -eq 20
                }
            }
            finally {
                # Killed here even when the wait fails, so no processor outlives the test.
                $processor.Kill()
                $processor.WaitForExit()
            }

            Start-Sleep -Seconds 4
            Invoke-JobProcessor -Database $db -SingleRun -Wait -LeaseSeconds 60 | Out-Null

            foreach ($job in $jobs) {
                $done = Get-ContainerJob -Database $db -Id $job.Id
                $expected = [int]($job.Name -replace 'crash-', '') % 3
                $done.ExitCode | Should -Be $expected -Because "job $($job.Name) exits with $expected"
                $done.Status | Should -Be ($expected -eq 0 ? 'Completed' : 'Failed')
                $done.Attempt | Should -Be 1
            }

            $names = Stop-CreateEventRecorder -Recorder $recorder -Path "$db.events"
            $names.Count | Should -Be 20 -Because "each attempt gets one container: $($names -join ', ')"
            @($names | Sort-Object -Unique).Count | Should -Be 20
            (Get-ContainerJobEvent -Database $db -Id $jobs[0].Id).Kind | Should -Contain 'Adopted'
        }
    }

    Context 'when four processor processes share one store' {
        It 'drains 400 jobs with each launched exactly once and no locking error' {
            $db = New-TestDatabase
            1..400 | ForEach-Object {
                New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -Name "many-$_" -Command 'true'
            } | Out-Null
            $recorder = Start-CreateEventRecorder -Database $db -Path "$db.events"
            $logs = 1..4 | ForEach-Object { "$db.processor$_.log" }
            $processors = $logs | ForEach-Object {
                Start-Processor -Database $db -LogPath $_ -Arguments '-MaxConcurrentJobs 8 -PollIntervalSeconds 0.05'
            }

            try {
                Wait-Until -Seconds 600 -What 'all 400 jobs to finish' {
                    @(Get-ContainerJob -Database $db -Status Pending, Retrying, Launching, Running).Count -eq 0
                }
            }
            finally {
                $processors | ForEach-Object { & /bin/kill -s TERM $_.Id }
                $processors | ForEach-Object { $_.WaitForExit(60000) | Out-Null }
            }

            $all = Get-ContainerJob -Database $db
            $all.Count | Should -Be 400
            @($all | Where-Object Status -NE 'Completed').Count | Should -Be 0
            @($all | Where-Object Attempt -NE 1).Count | Should -Be 0
            $names = Stop-CreateEventRecorder -Recorder $recorder -Path "$db.events"
            $names.Count | Should -Be 400 -Because "each attempt gets one container: $(($names | Group-Object | Where-Object Count -GT 1).Name -join ', ')"
            @($names | Sort-Object -Unique).Count | Should -Be 400
            $claimedBy = $all | ForEach-Object { (Get-ContainerJobAttempt -Database $db -Id $_.Id).ProcessorId } | Sort-Object -Unique
            @($claimedBy).Count | Should -BeGreaterThan 1 -Because 'the work is shared between processes'
            $output = $logs | ForEach-Object { Get-Content -Raw $_ }
            $output | Should -Not -Match 'database is locked'
            $processors | ForEach-Object { $_.ExitCode | Should -Be 0 }
        }
    }

    Context 'when a continuous processor receives SIGTERM or SIGINT' {
        It 'stops claiming on SIG<Signal>, lets the running job finish, and exits cleanly' -ForEach @(
            @{ Signal = 'TERM' }
            @{ Signal = 'INT' }
        ) {
            $db = New-TestDatabase
            $log = "$db.processor.log"
            $processor = Start-Processor -Database $db -LogPath $log -Arguments '-PollIntervalSeconds 0.1 -DrainTimeoutSeconds 60'
            $job = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -Command 'sh', '-c', 'sleep 2; echo drained'
            Wait-Until -Seconds 60 -What 'the job to run' { (Get-ContainerJob -Database $db -Id $job.Id).Status -eq 'Running' }
            $late = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -Command 'true' -ScheduledFor (Get-Date).AddSeconds(1)

            & /bin/kill -s $Signal $processor.Id
            $exited = $processor.WaitForExit(60000)
            if (-not $exited) {
                # Ended here so that a failed test leaves no processor behind.
                $processor.Kill()
            }

            $exited | Should -BeTrue
            # pwsh reports a pipeline ended by SIGINT with exit code 1, as after Ctrl+C.
            $processor.ExitCode | Should -Be ($Signal -eq 'TERM' ? 0 : 1)
            (Get-ContainerJob -Database $db -Id $job.Id).Status | Should -Be 'Completed'
            (Get-ContainerJobLog -Database $db -Id $job.Id -Stream Stdout).Text | Should -Be "drained`n"
            (Get-ContainerJob -Database $db -Id $late.Id).Status | Should -Be 'Pending'
            Get-Content -Raw $log | Should -Match 'draining'
            Get-Content -Raw $log | Should -Not -Match 'still running' -Because 'the drained job finished'
        }
    }

    Context 'when the pipeline is stopped, as Ctrl+C does' {
        It 'drains: the running job finishes and its result is recorded' {
            $db = New-TestDatabase
            $job = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -Command 'sh', '-c', 'sleep 2; echo stopped-cleanly'
            $shell = [powershell]::Create()
            $shell.AddScript("Import-Module '$module'; Invoke-JobProcessor -Database '$db' -PollIntervalSeconds 0.1") | Out-Null
            $run = $shell.BeginInvoke()
            try {
                Wait-Until -Seconds 60 -What 'the job to run' { (Get-ContainerJob -Database $db -Id $job.Id).Status -eq 'Running' }

                $shell.Stop()
            }
            finally {
                $shell.Dispose()
            }

            $run.IsCompleted | Should -BeTrue
            (Get-ContainerJob -Database $db -Id $job.Id).Status | Should -Be 'Completed'
            (Get-ContainerJobLog -Database $db -Id $job.Id -Stream Stdout).Text | Should -Be "stopped-cleanly`n"
        }
    }

    Context 'when the engine stops mid-run and starts again' {
        It 'retries the jobs the shutdown killed and ends them right' {
            $db = New-TestDatabase
            $log = "$db.processor.log"
            $fixture = Join-Path $PSScriptRoot '../fixtures/test-engine.sh'
            New-ExecutorHost -Database $db -Name 'volatile' -Endpoint $env:CM_TEST_SECOND_HOST | Out-Null
            # The trap makes the container exit at once when the engine's shutdown stops it.
            $jobs = 1..3 | ForEach-Object {
                New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -MaxAttempts 2 -Name "interrupted-$_" `
                    -Command 'sh', '-c', 'trap "exit 143" TERM; sleep 4 & wait; echo finished'
            }
            $processor = Start-Processor -Database $db -LogPath $log -Arguments '-PollIntervalSeconds 0.1 -LeaseSeconds 6'
            try {
                Wait-Until -Seconds 60 -What '3 running jobs' { @(Get-ContainerJob -Database $db -Status Running).Count -eq 3 }

                bash $fixture stop-engine second 2>&1 | Out-Null
                Start-Sleep -Seconds 2
                bash $fixture start-engine second 2>&1 | Out-Null
                Wait-Until -Seconds 120 -What 'the jobs to finish' {
                    @(Get-ContainerJob -Database $db -Status Pending, Retrying, Launching, Running).Count -eq 0
                }
            }
            finally {
                & /bin/kill -s TERM $processor.Id
                $processor.WaitForExit(30000) | Out-Null
            }

            foreach ($job in $jobs) {
                $done = Get-ContainerJob -Database $db -Id $job.Id
                $done.Status | Should -Be 'Completed' -Because "job $($job.Id) is retried after the engine came back"
                $done.Attempt | Should -Be 2
                (Get-ContainerJobLog -Database $db -Id $job.Id -Stream Stdout).Text | Should -Be "finished`n"
                $kinds = (Get-ContainerJobEvent -Database $db -Id $job.Id).Kind
                $kinds | Should -Contain 'EngineLost'
                $kinds | Should -Contain 'Retrying'
            }
        }
    }
}
