using System.Management.Automation;
using ContainerManager.Core.Processing;
using ContainerManager.Core.Storage;
using ContainerManager.PowerShell.Infrastructure;

namespace ContainerManager.PowerShell.Commands;

/// <summary>Gets the captured stdout and stderr of a job's attempt.</summary>
[Cmdlet(VerbsCommon.Get, "ContainerJobLog")]
[OutputType(typeof(JobLog))]
public sealed class GetContainerJobLogCommand : ContainerManagerCmdlet
{
    /// <summary>Id of the job; binds from the Id property of piped jobs.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, long.MaxValue)]
    public long Id { get; set; }

    /// <summary>Attempt whose output to get; defaults to the latest attempt with stored output.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? Attempt { get; set; }

    /// <summary>Which stream to get: Stdout, Stderr, or both (the default).</summary>
    [Parameter]
    public LogStream[]? Stream { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var job = RunAsync(token => Store.GetJobAsync(Id, token));
        if (job is null)
        {
            WriteCoreError(JobControl.NotFound(Id));
            return;
        }

        var logs = RunAsync(token => Store.GetLogsAsync(Id, Attempt, token));
        if (logs.Count == 0)
        {
            WriteVerbose($"Job {Id} has no stored output yet (status {job.Status}).");
        }

        foreach (var log in logs)
        {
            if (Stream is null || Stream.Contains(log.Stream))
            {
                WriteObject(log);
            }
        }
    }
}
