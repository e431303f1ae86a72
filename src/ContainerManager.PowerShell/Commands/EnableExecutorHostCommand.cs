using System.Management.Automation;
using ContainerManager.Core.Hosts;
using ContainerManager.PowerShell.Infrastructure;

namespace ContainerManager.PowerShell.Commands;

/// <summary>Lets executor hosts take new jobs again.</summary>
[Cmdlet(VerbsLifecycle.Enable, "ExecutorHost", SupportsShouldProcess = true)]
[OutputType(typeof(ExecutorHost))]
public sealed class EnableExecutorHostCommand : ExecutorHostCmdlet
{
    /// <summary>Names of the hosts to enable.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    /// <summary>Writes each enabled host to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        foreach (var name in Name)
        {
            SetEnabled(name, enabled: true, PassThru.IsPresent);
        }
    }
}
