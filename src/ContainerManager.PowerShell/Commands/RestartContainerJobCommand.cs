using System.Management.Automation;
using ContainerManager.Core.Jobs;
using ContainerManager.PowerShell.Infrastructure;

namespace ContainerManager.PowerShell.Commands;

/// <summary>Queues finished jobs again; the next run is a new attempt and the history is kept.</summary>
[Cmdlet(VerbsLifecycle.Restart, "ContainerJob", SupportsShouldProcess = true)]
[OutputType(typeof(ContainerJob))]
public sealed class RestartContainerJobCommand : JobCmdlet
{
    /// <summary>Returns the requeued jobs.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord() =>
        ForEachJob(id =>
        {
            if (!ShouldProcess($"job {id}", "Restart"))
            {
                return;
            }

            var job = RunAsync(token => Control.RestartAsync(id, token));
            WriteVerbose($"Requeued job {id}");
            if (PassThru)
            {
                WriteObject(job);
            }
        });
}
