@{
    RootModule           = 'ContainerManager.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '6f3b8a52-3c1e-4f6e-9d0a-2b7c4e1f9a30'
    Author               = 'ContainerManager developers'
    Description          = 'Queues container jobs in a job store, runs them on Docker engines and records every run.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('ContainerManager.format.ps1xml')
    CmdletsToExport      = @(
        'New-ContainerJob'
        'Get-ContainerJob'
        'Get-ContainerJobLog'
        'Invoke-JobProcessor'
        'Get-CmDiagnostic'
        'Stop-ContainerJob'
        'Restart-ContainerJob'
        'Set-ContainerJob'
        'Remove-ContainerJob'
        'Wait-ContainerJob'
        'Get-ContainerJobEvent'
        'Get-ContainerJobAttempt'
        'New-EnvironmentTemplate'
        'Get-EnvironmentTemplate'
        'Set-EnvironmentTemplate'
        'Remove-EnvironmentTemplate'
        'ConvertFrom-EnvironmentTemplate'
        'New-ExecutorHost'
        'Get-ExecutorHost'
        'Set-ExecutorHost'
        'Remove-ExecutorHost'
        'Enable-ExecutorHost'
        'Disable-ExecutorHost'
        'Test-ExecutorHost'
        'Set-CmRegistryCredential'
        'Get-CmRegistryCredential'
        'Remove-CmRegistryCredential'
        'Import-ContainerImage'
        'Remove-CmOrphanedContainer'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags = @('Docker', 'Containers', 'Jobs', 'Scheduler')
        }
    }
}
