BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-ContainerManagerModule
    Assert-TestEngine
}

Describe 'Set-ContainerJob' {
    BeforeEach {
        $db = New-TestDatabase
        $job = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -Command 'true' -Priority 1
    }

    It 'changes a pending job' {
        $changed = Set-ContainerJob -Database $db -Id $job.Id -Priority 9 -MemoryMiB 32 -Name 'renamed' -PassThru

        $changed.Priority | Should -Be 9
        $changed.MemoryMiB | Should -Be 32
        $changed.Name | Should -Be 'renamed'
        $changed.Image | Should -Be $env:CM_TEST_IMAGE
    }

    It 'changes container options and turns -Privileged off with -Privileged:$false' {
        Set-ContainerJob -Database $db -Id $job.Id -Privileged -Volume 'cache:/cache:ro' -User 1000

        $changed = Set-ContainerJob -Database $db -Id $job.Id -Privileged:$false -WorkingDirectory /srv -PassThru

        $changed.Privileged | Should -BeFalse
        $changed.Volumes | Should -Be @('cache:/cache:ro')
        $changed.User | Should -Be '1000'
        $changed.WorkingDirectory | Should -Be '/srv'
    }

    It 'delays a job with -ScheduledFor so that the processor leaves it alone' {
        Set-ContainerJob -Database $db -Id $job.Id -ScheduledFor (Get-Date).AddHours(1)

        (Invoke-JobProcessor -Database $db -SingleRun -Wait).Launched | Should -Be 0
        (Get-ContainerJob -Database $db -Id $job.Id).WaitReason | Should -Match 'scheduled for'
    }

    It 'writes InvalidJobStatus for a finished job and changes nothing' {
        Invoke-JobProcessor -Database $db -SingleRun -Wait | Out-Null

        { Set-ContainerJob -Database $db -Id $job.Id -Image 'other:1' -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidJobStatus,ContainerManager.PowerShell.Commands.SetContainerJobCommand'

        (Get-ContainerJob -Database $db -Id $job.Id).Image | Should -Be $env:CM_TEST_IMAGE
    }

    It 'rejects <Case> and changes nothing' -ForEach @(
        @{ Case = 'an invalid image'; Arguments = @{ Image = 'Not Valid' }; ErrorId = 'InvalidImage' }
        @{ Case = 'a null command argument'; Arguments = @{ Command = 'echo', $null }; ErrorId = 'InvalidCommand' }
        @{ Case = 'a negative priority below the range'; Arguments = @{ Priority = -5000 }; ErrorId = 'ParameterArgumentValidationError' }
        @{ Case = 'zero attempts'; Arguments = @{ MaxAttempts = 0 }; ErrorId = 'ParameterArgumentValidationError' }
        @{ Case = 'a schedule time in an unknown format'; Arguments = @{ ScheduledFor = 'next tuesday-ish' }; ErrorId = 'CannotConvertArgumentNoMessage' }
        @{ Case = 'a named volume without target'; Arguments = @{ Volume = 'cache' }; ErrorId = 'InvalidVolume' }
        @{ Case = 'a reserved label'; Arguments = @{ Label = @{ 'ContainerManager.store' = 'x' } }; ErrorId = 'ReservedLabel' }
        @{ Case = 'a list as a label value'; Arguments = @{ Label = @{ team = 'a', 'b' } }; ErrorId = 'InvalidLabel' }
    ) {
        { Set-ContainerJob -Database $db -Id $job.Id @Arguments -ErrorAction Stop } |
            Should -Throw -ErrorId "$ErrorId,ContainerManager.PowerShell.Commands.SetContainerJobCommand"

        $stored = Get-ContainerJob -Database $db -Id $job.Id
        $stored.Image | Should -Be $env:CM_TEST_IMAGE
        $stored.Priority | Should -Be 1
        $stored.MaxAttempts | Should -Be 1
    }
}
