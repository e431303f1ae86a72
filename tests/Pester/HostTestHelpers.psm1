# Helpers for the executor host and registry credential tests. They need the second
# engine, the TLS engine and the password-protected registry from
# tests/fixtures/test-engine.sh; without its variables the tests fail instead of skipping.

function Assert-TestHosts {
    foreach ($name in 'CM_TEST_SECOND_HOST', 'CM_TEST_TLS_HOST', 'CM_TEST_TLS_CA', 'CM_TEST_TLS_CERT',
        'CM_TEST_TLS_KEY', 'CM_TEST_TLS_WRONG_CA', 'CM_TEST_TLS_WRONG_CERT', 'CM_TEST_TLS_WRONG_KEY',
        'CM_TEST_AUTH_REGISTRY') {
        if (-not [Environment]::GetEnvironmentVariable($name)) {
            throw "$name is not set. Run 'tests/fixtures/test-engine.sh start' and source the env file it prints."
        }
    }
}

function Get-HostSnapshot {
    # The stored hosts as JSON text, to show that a failed call changed nothing.
    param([Parameter(Mandatory)] [string] $Database)
    @(Get-ExecutorHost -Database $Database) | ConvertTo-Json -Depth 4 -Compress
}

function Get-CredentialSnapshot {
    param([Parameter(Mandatory)] [string] $Database)
    @(Get-CmRegistryCredential -Database $Database) | ConvertTo-Json -Depth 3 -Compress
}

function New-TestCredential {
    param([string] $UserName = 'robot', [string] $Password = 'pester-secret-pw')
    [pscredential]::new($UserName, (ConvertTo-SecureString $Password -AsPlainText -Force))
}

function Get-ErrorRecord {
    # Runs a script block and returns the error it throws; the commands in the block need
    # -ErrorAction Stop, because preference variables do not cross into a module.
    param([Parameter(Mandatory)] [scriptblock] $ScriptBlock)
    try {
        & $ScriptBlock | Out-Null
    }
    catch {
        return $_
    }

    throw 'The command wrote no error.'
}

Export-ModuleMember -Function Assert-TestHosts, Get-HostSnapshot, Get-CredentialSnapshot, New-TestCredential, Get-ErrorRecord
