BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-ContainerManagerModule
    Assert-TestEngine
}

Describe 'Get-ContainerJobEvent' {
    It 'shows who queued the job, which processor claimed it, and how it ended' {
        $db = New-TestDatabase
        $job = New-ContainerJob -Database $db -Image $env:CM_TEST_IMAGE -Command 'true'
        $summary = Invoke-JobProcessor -Database $db -SingleRun -Wait

        $events = $job | Get-ContainerJobEvent -Database $db

        $events.Kind | Should -Be @('Created', 'Claimed', 'Started', 'Completed')
        $events[0].Message | Should -Match ([regex]::Escape([Environment]::UserName))
        $events[1].Message | Should -Match ([regex]::Escape($summary.ProcessorId))
    }
}
