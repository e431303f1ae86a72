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

    It 'writes JobNotFound for an unknown id' {
        { Get-ContainerJobLog -Database $db -Id 4242 -ErrorAction Stop } |
            Should -Throw -ErrorId 'JobNotFound,ContainerManager.PowerShell.Commands.GetContainerJobLogCommand'
    }

    It 'returns nothing for a job that has not run yet' {
        $pending = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE

        Get-ContainerJobLog -Database $db -Id $pending.Id | Should -BeNullOrEmpty
    }
}
