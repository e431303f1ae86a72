BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Assert-TestEngine
}

Describe 'Invoke-SampleJob.ps1' {
    It 'runs the README sample job to Completed and shows its exit code and output' {
        $script = Join-Path $PSScriptRoot '../../examples/Invoke-SampleJob.ps1'
        $module = if ($env:CM_MODULE_PATH) { $env:CM_MODULE_PATH } else { Join-Path $PSScriptRoot '../../out/ContainerManager' }

        $output = & (Get-PwshPath) -NoProfile -NonInteractive -File $script -Image $env:CM_TEST_IMAGE -ModulePath $module 2>&1 |
            Out-String
        # Format views colour their labels; compare the plain text.
        $output = $output -replace "`e\[[0-9;]*m", ''

        $LASTEXITCODE | Should -Be 0
        $output | Should -Match 'Status\s+:\s+Completed'
        $output | Should -Match 'ExitCode\s+:\s+0'
        $output | Should -Match 'hello from job container'
        $output | Should -Match 'a warning on stderr'
    }
}
