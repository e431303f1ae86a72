using System.Management.Automation;
using ContainerManager.Core.Jobs;
using ContainerManager.Core.Processing;
using ContainerManager.PowerShell.Infrastructure;

namespace ContainerManager.PowerShell.Commands;

/// <summary>Gets every attempt of a job: host, container, times, exit code and error.</summary>
[Cmdlet(VerbsCommon.Get, "ContainerJobAttempt")]
[OutputType(typeof(JobAttempt))]
public sealed class GetContainerJobAttemptCommand : JobCmdlet
{
    /// <inheritdoc />
    protected override void ProcessRecord() =>
        ForEachJob(id =>
        {
            if (RunAsync(token => Store.GetJobAsync(id, token)) is null)
            {
                throw JobControl.NotFound(id);
            }

            WriteObject(RunAsync(token => Store.GetAttemptsAsync(id, token)), enumerateCollection: true);
        });
}
