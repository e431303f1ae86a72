using System.Management.Automation;
using ContainerManager.Core.Hosts;
using ContainerManager.PowerShell.Infrastructure;

namespace ContainerManager.PowerShell.Commands;

/// <summary>
/// Stops executor hosts from taking new jobs. Jobs already on them run to the end and are
/// harvested as usual.
/// </summary>
[Cmdlet(VerbsLifecycle.Disable, "ExecutorHost", SupportsShouldProcess = true)]
[OutputType(typeof(ExecutorHost))]
public sealed class DisableExecutorHostCommand : ExecutorHostCmdlet
{
    /// <summary>Names of the hosts to disable.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    /// <summary>Writes each disabled host to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        foreach (var name in Name)
        {
            SetEnabled(name, enabled: false, PassThru.IsPresent);
        }
    }
}
