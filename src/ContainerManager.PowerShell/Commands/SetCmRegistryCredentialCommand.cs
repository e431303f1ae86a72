using System.Management.Automation;
using ContainerManager.Core.Credentials;
using ContainerManager.Core.Errors;
using ContainerManager.PowerShell.Infrastructure;

namespace ContainerManager.PowerShell.Commands;

/// <summary>
/// Stores the user name and password that engines use to pull from a registry, replacing
/// any earlier credential for it. Stored credentials win over the docker CLI's config file.
/// </summary>
[Cmdlet(VerbsCommon.Set, "CmRegistryCredential", SupportsShouldProcess = true)]
[OutputType(typeof(RegistryCredentialInfo))]
public sealed class SetCmRegistryCredentialCommand : RegistryCredentialCmdlet
{
    /// <inheritdoc />
    protected override bool CreatesStore => true;

    /// <summary>Registry host and optional port as in image references, such as registry.example:5000 or docker.io.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Registry { get; set; } = "";

    /// <summary>User name and password (or access token) for the registry.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [Credential]
    [ValidateNotNull]
    public PSCredential Credential { get; set; } = PSCredential.Empty;

    /// <summary>Writes the stored credential, without its password, to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        string registry;
        try
        {
            registry = RegistryName.Normalize(Registry);
        }
        catch (ContainerManagerException ex)
        {
            WriteCoreError(ex);
            return;
        }

        if (!ShouldProcess(registry, $"Store the credential of user '{Credential.UserName}'"))
        {
            return;
        }

        try
        {
            var password = Credential.GetNetworkCredential().Password;
            var stored = RunAsync(token => CredentialStore.SetCredentialAsync(registry, Credential.UserName, password, token));
            WriteVerbose($"Stored the credential of user {stored.UserName} for registry {stored.Registry}");
            if (PassThru.IsPresent)
            {
                WriteObject(stored);
            }
        }
        catch (ContainerManagerException ex)
        {
            WriteCoreError(ex);
        }
    }
}
