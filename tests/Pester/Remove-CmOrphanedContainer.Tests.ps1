BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-ContainerManagerModule
    Assert-TestEngine
    $fullId = ',ContainerManager.PowerShell.Commands.RemoveCmOrphanedContainerCommand'

    function New-LabelledContainer {
        # Creates a stopped container with the module's labels through the docker CLI of
        # Debian's docker.io, which the test engine needs anyway.
        param([string] $StoreId, [string] $JobId, [string] $Attempt = '1')
        docker -H $env:DOCKER_HOST create --label "containermanager.store=$StoreId" `
            --label "containermanager.job=$JobId" --label "containermanager.attempt=$Attempt" $env:CM_TEST_IMAGE true
    }

    function Test-Container {
        param([string] $Id)
        docker -H $env:DOCKER_HOST container inspect $Id 2>&1 | Out-Null
        $LASTEXITCODE -eq 0
    }
}

Describe 'Remove-CmOrphanedContainer' {
    BeforeEach {
        $db = New-TestDatabase
        $finished = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -Command 'true'
        Invoke-JobProcessor -Database $db -SingleRun -Wait | Out-Null
        $running = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -Command 'sleep', '60'
        Invoke-JobProcessor -Database $db -SingleRun | Out-Null
        $runningContainer = (Get-ContainerJob -Database $db -Id $running.Id).ContainerId
        $storeId = docker -H $env:DOCKER_HOST container inspect `
            --format '{{ index .Config.Labels "containermanager.store" }}' $runningContainer

        $unknownJob = New-LabelledContainer -StoreId $storeId -JobId '99999'
        $finishedJob = New-LabelledContainer -StoreId $storeId -JobId $finished.Id
        $oldAttempt = New-LabelledContainer -StoreId $storeId -JobId $running.Id -Attempt '0'
        $otherStore = New-LabelledContainer -StoreId 'otherstore00' -JobId '99999'
    }

    AfterEach {
        # The store is thrown away, so the running job's container is removed directly.
        docker -H $env:DOCKER_HOST rm --force $unknownJob $finishedJob $oldAttempt $otherStore $runningContainer 2>&1 |
            Out-Null
    }

    It 'removes containers of unknown, finished and replaced jobs and returns them with -PassThru' {
        $removed = Remove-CmOrphanedContainer -Database $db -Force -PassThru

        $removed.Count | Should -Be 3
        ($removed | Where-Object ContainerId -EQ $unknownJob).Reason | Should -Match 'not in the store'
        ($removed | Where-Object ContainerId -EQ $finishedJob).Reason | Should -Match 'Completed'
        ($removed | Where-Object ContainerId -EQ $oldAttempt).Reason | Should -Match 'replaced by attempt 1'
        Test-Container $unknownJob | Should -BeFalse
        Test-Container $finishedJob | Should -BeFalse
        Test-Container $oldAttempt | Should -BeFalse
    }

    It 'leaves the running job''s container and other stores'' containers alone' {
        Remove-CmOrphanedContainer -Database $db -Force

        Test-Container $runningContainer | Should -BeTrue
        Test-Container $otherStore | Should -BeTrue
    }

    It 'removes nothing with -WhatIf, even with -Force' {
        Remove-CmOrphanedContainer -Database $db -Force -WhatIf

        Test-Container $unknownJob | Should -BeTrue
        Test-Container $finishedJob | Should -BeTrue
    }

    It 'returns nothing without -PassThru' {
        Remove-CmOrphanedContainer -Database $db -Confirm:$false | Should -BeNullOrEmpty

        Test-Container $unknownJob | Should -BeFalse
    }

    It 'writes HostNotFound for an unknown host' {
        Remove-CmOrphanedContainer -Database $db -HostName 'nowhere' -Force -ErrorAction SilentlyContinue -ErrorVariable failures

        $failures[0].FullyQualifiedErrorId | Should -Be "HostNotFound$fullId"
        Test-Container $unknownJob | Should -BeTrue
    }
}
