using System.Management.Automation;
using ContainerManager.Core.Hosts;
using ContainerManager.PowerShell.Infrastructure;

namespace ContainerManager.PowerShell.Commands;

/// <summary>Gets the stored executor hosts, all of them or by name.</summary>
[Cmdlet(VerbsCommon.Get, "ExecutorHost")]
[OutputType(typeof(ExecutorHost))]
public sealed class GetExecutorHostCommand : ExecutorHostCmdlet
{
    /// <summary>Names of the hosts to get; * and ? are wildcards. Omit it to list every host.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var hosts = RunAsync(HostStore.ListHostsAsync);
        if (Name is null)
        {
            WriteObject(hosts, enumerateCollection: true);
            return;
        }

        foreach (var name in Name)
        {
            var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
            var matches = hosts.Where(h => pattern.IsMatch(h.Name)).ToList();
            if (matches.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
            {
                WriteError(HostNotFound(name));
                continue;
            }

            WriteObject(matches, enumerateCollection: true);
        }
    }
}
