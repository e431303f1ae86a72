using System.Management.Automation;
using ContainerManager.Core.Errors;
using ContainerManager.Core.Storage;

namespace ContainerManager.PowerShell.Infrastructure;

/// <summary>Base of the registry credential cmdlets: the credential store on the job store's file.</summary>
public abstract class RegistryCredentialCmdlet : ContainerManagerCmdlet
{
    private IRegistryCredentialStore? _credentials;

    /// <summary>Credential store on the file that <see cref="ContainerManagerCmdlet.BeginProcessing"/> opened.</summary>
    protected IRegistryCredentialStore CredentialStore =>
        _credentials ??= new SqliteRegistryCredentialStore((SqliteJobStore)Store);

    /// <summary>Returns the error record for a registry without a stored credential.</summary>
    protected ErrorRecord CredentialNotFound(string registry) =>
        ErrorRecords.Create(
            "RegistryCredentialNotFound",
            ErrorKind.ObjectNotFound,
            $"No credential for registry '{registry}' is stored in '{CredentialStore.Location}'. List them " +
            "with Get-CmRegistryCredential.",
            registry);
}
