using System.Management.Automation;
using ContainerManager.Core.Credentials;
using ContainerManager.PowerShell.Infrastructure;

namespace ContainerManager.PowerShell.Commands;

/// <summary>Lists the stored registry credentials: registry, user name and times, never the password.</summary>
[Cmdlet(VerbsCommon.Get, "CmRegistryCredential")]
[OutputType(typeof(RegistryCredentialInfo))]
public sealed class GetCmRegistryCredentialCommand : RegistryCredentialCmdlet
{
    /// <summary>Registries to get; * and ? are wildcards. Omit it to list every credential.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Registry { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var credentials = RunAsync(CredentialStore.ListCredentialsAsync);
        if (Registry is null)
        {
            WriteObject(credentials, enumerateCollection: true);
            return;
        }

        foreach (var registry in Registry)
        {
            if (WildcardPattern.ContainsWildcardCharacters(registry))
            {
                var pattern = new WildcardPattern(registry, WildcardOptions.IgnoreCase);
                WriteObject(credentials.Where(c => pattern.IsMatch(c.Registry)), enumerateCollection: true);
                continue;
            }

            var name = RegistryName.TryNormalize(registry, out var normalized) ? normalized : registry;
            var match = credentials.FirstOrDefault(c => c.Registry == name);
            if (match is null)
            {
                WriteError(CredentialNotFound(registry));
                continue;
            }

            WriteObject(match);
        }
    }
}
