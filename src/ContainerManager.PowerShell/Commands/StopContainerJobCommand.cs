using System.Management.Automation;
using ContainerManager.Core.Jobs;
using ContainerManager.PowerShell.Infrastructure;

namespace ContainerManager.PowerShell.Commands;

/// <summary>
/// Cancels jobs: a queued job ends Cancelled at once; a running job's container is stopped
/// (SIGTERM, then SIGKILL after the grace period) and its output is kept.
/// </summary>
[Cmdlet(VerbsLifecycle.Stop, "ContainerJob", SupportsShouldProcess = true)]
[OutputType(typeof(ContainerJob))]
public sealed class StopContainerJobCommand : JobCmdlet
{
    /// <summary>Seconds a running container gets between SIGTERM and SIGKILL.</summary>
    [Parameter]
    [ValidateRange(0, 3600)]
    public int GracePeriodSeconds { get; set; } = 10;

    /// <summary>Returns the cancelled jobs.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord() =>
        ForEachJob(id =>
        {
            if (!ShouldProcess($"job {id}", "Cancel"))
            {
                return;
            }

            var job = RunAsync(token => Control.CancelAsync(id, TimeSpan.FromSeconds(GracePeriodSeconds), token));
            WriteVerbose($"Cancelled job {id}");
            if (PassThru)
            {
                WriteObject(job);
            }
        });
}
