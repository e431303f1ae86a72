using System.Management.Automation;
using ContainerManager.Core.Processing;
using ContainerManager.Core.Storage;
using ContainerManager.PowerShell.Infrastructure;

namespace ContainerManager.PowerShell.Commands;

/// <summary>Gets a job's history: who queued it, which processor claimed it, retries, cancels, results.</summary>
[Cmdlet(VerbsCommon.Get, "ContainerJobEvent")]
[OutputType(typeof(JobEvent))]
public sealed class GetContainerJobEventCommand : JobCmdlet
{
    /// <inheritdoc />
    protected override void ProcessRecord() =>
        ForEachJob(id =>
        {
            if (RunAsync(token => Store.GetJobAsync(id, token)) is null)
            {
                throw JobControl.NotFound(id);
            }

            WriteObject(RunAsync(token => Store.GetEventsAsync(id, token)), enumerateCollection: true);
        });
}
