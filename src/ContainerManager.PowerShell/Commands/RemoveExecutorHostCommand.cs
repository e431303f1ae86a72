using System.Globalization;
using System.Management.Automation;
using ContainerManager.Core.Errors;
using ContainerManager.PowerShell.Infrastructure;

namespace ContainerManager.PowerShell.Commands;

/// <summary>
/// Removes stored executor hosts. A host with jobs launching or running is kept unless
/// -Force is given, because nothing would harvest those jobs otherwise.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "ExecutorHost", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(void))]
public sealed class RemoveExecutorHostCommand : ExecutorHostCmdlet
{
    /// <summary>Names of the hosts to remove.</summary>
    // Bound by value only: binding by property name would take the Name of any piped
    // object, so a piped job could remove a template or host that shares its name.
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    /// <summary>Removes a host even while jobs are launching or running on it.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var active = RunAsync(HostStore.CountActiveJobsAsync);
        foreach (var name in Name)
        {
            var host = RunAsync(token => HostStore.GetHostAsync(name, token));
            if (host is null)
            {
                WriteError(HostNotFound(name));
                continue;
            }

            if (active.GetValueOrDefault(host.Name) is var jobs and > 0 && !Force.IsPresent)
            {
                WriteError(ErrorRecords.Create(
                    "HostInUse",
                    ErrorKind.InvalidOperation,
                    string.Create(CultureInfo.InvariantCulture,
                        $"Host '{host.Name}' has {jobs} jobs launching or running. ") +
                    "Disable it with Disable-ExecutorHost and wait for them to finish, or remove it anyway " +
                    "with -Force.",
                    host));
                continue;
            }

            if (!ShouldProcess(host.Name, $"Remove executor host at {host.Endpoint}"))
            {
                continue;
            }

            RunAsync(token => HostStore.RemoveHostAsync(host.Name, token));
            WriteVerbose($"Removed host {host.Name}");
        }
    }
}
