BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-ContainerManagerModule
    Assert-TestEngine
}

Describe 'Get-ContainerJobLog' {
    BeforeAll {
        $db = New-TestDatabase
        $job = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE `
            -Command 'sh', '-c', 'printf "line1\nline2\n"; echo problem >&2'
        Invoke-JobProcessor -Database $db -SingleRun -Wait | Out-Null
    }

    It 'returns stdout and stderr as separate objects' {
        $logs = Get-ContainerJobLog -Database $db -Id $job.Id

        $logs.Count | Should -Be 2
        ($logs | Where-Object Stream -EQ 'Stdout').Text | Should -Be "line1`nline2`n"
        ($logs | Where-Object Stream -EQ 'Stderr').Text | Should -Be "problem`n"
    }

    It 'takes the job id from a piped job' {
        $logs = Get-ContainerJob -Database $db -Id $job.Id | Get-ContainerJobLog -Database $db -Stream Stderr

        $logs.Text | Should -Be "problem`n"
    }

    It 'writes the output of each piped attempt, and the latest for a piped job' {
        # hostname prints the container's id, so each attempt writes other text.
        $twice = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -Command 'sh', '-c', 'hostname; exit 3'
        Invoke-JobProcessor -Database $db -SingleRun -Wait | Out-Null
        Restart-ContainerJob -Database $db -Id $twice.Id
        Invoke-JobProcessor -Database $db -SingleRun -Wait | Out-Null

        $perAttempt = @(Get-ContainerJobAttempt -Database $db -Id $twice.Id | Get-ContainerJobLog -Database $db -Stream Stdout)
        $perLine = @(Get-ContainerJobAttempt -Database $db -Id $twice.Id |
                Get-ContainerJobLog -Database $db -Stream Stdout -Tail 1)
        $latest = @(Get-ContainerJob -Database $db -Id $twice.Id | Get-ContainerJobLog -Database $db -Stream Stdout)
        $chosen = @(Get-ContainerJobAttempt -Database $db -Id $twice.Id |
                Get-ContainerJobLog -Database $db -Stream Stdout -Attempt 1)

        $perAttempt.Attempt | Should -Be @(1, 2)
        $perAttempt[0].Text | Should -Not -Be $perAttempt[1].Text
        $perLine.Attempt | Should -Be @(1, 2)
        $latest.Attempt | Should -Be @(2)
        $latest[0].Text | Should -Be $perAttempt[1].Text
        $chosen.Attempt | Should -Be @(1, 1)
    }

    It 'writes JobNotFound for an unknown id' {
        { Get-ContainerJobLog -Database $db -Id 4242 -ErrorAction Stop } |
            Should -Throw -ErrorId 'JobNotFound,ContainerManager.PowerShell.Commands.GetContainerJobLogCommand'
    }

    It 'returns nothing for a job that has not run yet' {
        $pending = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE

        Get-ContainerJobLog -Database $db -Id $pending.Id | Should -BeNullOrEmpty
    }

    Context 'with -Follow, -Tail and -Timestamps' {
        AfterEach {
            # Harvests the jobs started here, which also removes their containers.
            Invoke-JobProcessor -Database $db -SingleRun | Out-Null
        }

        It 'writes a running job''s first line before the job ends' {
            $running = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE `
                -Command 'sh', '-c', 'echo first; sleep 3; echo second'
            Invoke-JobProcessor -Database $db -SingleRun | Out-Null

            $arrivals = Get-ContainerJobLog -Database $db -Id $running.Id -Follow | ForEach-Object {
                $status = (Get-ContainerJob -Database $db -Id $running.Id).Status
                [pscustomobject]@{ Text = $_.Text; Status = $status; At = Get-Date }
            }

            $arrivals.Text | Should -Be @('first', 'second')
            $arrivals[0].Status | Should -Be 'Running'
            ($arrivals[1].At - $arrivals[0].At).TotalSeconds | Should -BeGreaterThan 2
        }

        It 'adds engine timestamps to a running job''s lines with -Timestamps' {
            $running = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -Command 'sh', '-c', 'echo one; sleep 1'
            Invoke-JobProcessor -Database $db -SingleRun | Out-Null

            $line = Get-ContainerJobLog -Database $db -Id $running.Id -Follow -Timestamps

            $line | Should -BeOfType 'ContainerManager.Core.Storage.JobLogLine'
            $line.Text | Should -BeExactly 'one'
            $line.Timestamp | Should -Not -BeNullOrEmpty
            ([DateTimeOffset]::UtcNow - $line.Timestamp).TotalMinutes | Should -BeLessThan 5
        }

        It 'writes the last lines per stream of a finished job with -Tail' {
            $lines = Get-ContainerJobLog -Database $db -Id $job.Id -Tail 1

            ($lines | Where-Object Stream -EQ 'Stdout').Text | Should -BeExactly 'line2'
            ($lines | Where-Object Stream -EQ 'Stderr').Text | Should -BeExactly 'problem'
        }

        It 'writes no line for an empty stream of a finished job with -Tail or -Follow' {
            $quiet = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -Command 'echo', 'only stdout'
            Invoke-JobProcessor -Database $db -SingleRun -Wait | Out-Null

            $tail = @(Get-ContainerJobLog -Database $db -Id $quiet.Id -Tail 20 -Stream Stderr)
            $follow = @(Get-ContainerJobLog -Database $db -Id $quiet.Id -Follow -Stream Stderr)
            $both = @(Get-ContainerJobLog -Database $db -Id $quiet.Id -Tail 20)

            $tail.Count | Should -Be 0
            $follow.Count | Should -Be 0
            $both.Stream | Should -Be @('Stdout')
            $both.Text | Should -Be @('only stdout')
        }

        It 'waits with -Follow for a queued job to start, then writes its lines' {
            $queued = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE `
                -Command 'sh', '-c', 'echo started; sleep 1; echo done'
            $module = Join-Path $env:CM_MODULE_PATH 'ContainerManager.psd1'
            $follower = Start-ThreadJob -ArgumentList $module, $db, $queued.Id {
                param($module, $db, $id)
                Import-Module $module
                Get-ContainerJobLog -Database $db -Id $id -Follow -Stream Stdout
            }

            try {
                # Long enough for a follower that does not wait to have ended already.
                Start-Sleep -Seconds 2
                $stateWhilePending = $follower.State
                Invoke-JobProcessor -Database $db -SingleRun -Wait | Out-Null
                $lines = $follower | Wait-Job -Timeout 60 | Receive-Job
            }
            finally {
                $follower | Remove-Job -Force
            }

            $stateWhilePending | Should -Be 'Running'
            $lines.Text | Should -Be @('started', 'done')
        }

        It 'writes the stored lines of a finished job with -Follow and stops' {
            $lines = Get-ContainerJobLog -Database $db -Id $job.Id -Follow -Stream Stdout

            $lines.Text | Should -Be @('line1', 'line2')
        }
    }
}
