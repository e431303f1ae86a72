using System.Management.Automation;
using ContainerManager.PowerShell.Infrastructure;

namespace ContainerManager.PowerShell.Commands;

/// <summary>Deletes finished jobs with their logs and history.</summary>
[Cmdlet(VerbsCommon.Remove, "ContainerJob", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(void))]
public sealed class RemoveContainerJobCommand : JobCmdlet
{
    /// <summary>Skips the confirmation prompt and cancels jobs that are still queued or running before removing them.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord() =>
        ForEachJob(id =>
        {
            if (!ShouldProcessUnlessForced(Force, $"job {id}", "Remove job, its logs and its history"))
            {
                return;
            }

            RunAsync(token => Control.RemoveAsync(id, Force, token));
            WriteVerbose($"Removed job {id}");
        });
}
