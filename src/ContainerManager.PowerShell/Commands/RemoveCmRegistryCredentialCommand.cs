using System.Management.Automation;
using ContainerManager.Core.Credentials;
using ContainerManager.PowerShell.Infrastructure;

namespace ContainerManager.PowerShell.Commands;

/// <summary>Removes stored registry credentials.</summary>
[Cmdlet(VerbsCommon.Remove, "CmRegistryCredential", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(void))]
public sealed class RemoveCmRegistryCredentialCommand : RegistryCredentialCmdlet
{
    /// <summary>Registries whose credentials are removed.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Registry { get; set; } = [];

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        foreach (var registry in Registry)
        {
            var name = RegistryName.TryNormalize(registry, out var normalized) ? normalized! : registry;
            var stored = RunAsync(token => CredentialStore.GetCredentialAsync(name, token));
            if (stored is null)
            {
                WriteError(CredentialNotFound(registry));
                continue;
            }

            if (!ShouldProcess(name, $"Remove the credential of user '{stored.UserName}'"))
            {
                continue;
            }

            RunAsync(token => CredentialStore.RemoveCredentialAsync(name, token));
            WriteVerbose($"Removed the credential for registry {name}");
        }
    }
}
