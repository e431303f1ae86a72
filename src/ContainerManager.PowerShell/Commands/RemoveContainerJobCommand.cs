using System.Management.Automation;
using ContainerManager.Core.Errors;
using ContainerManager.Core.Execution;
using ContainerManager.Core.Execution.Docker;
using ContainerManager.Core.Processing;
using ContainerManager.PowerShell.Infrastructure;

namespace ContainerManager.PowerShell.Commands;

/// <summary>
/// Deletes finished jobs with their logs and history: the jobs given by id, or every finished
/// job older than a number of days.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "ContainerJob", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High,
    DefaultParameterSetName = ByIdSet)]
[OutputType(typeof(void))]
public sealed class RemoveContainerJobCommand : ContainerManagerCmdlet
{
    private const string ByIdSet = "ById";
    private const string OlderThanSet = "OlderThan";

    private IContainerExecutor? _executor;

    /// <summary>Ids of the jobs; binds from the Id of piped jobs and the JobId of attempts, events and logs.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true,
        ParameterSetName = ByIdSet)]
    [Alias("JobId")]
    [ValidateRange(1, long.MaxValue)]
    public long[] Id { get; set; } = [];

    /// <summary>
    /// Removes every Completed, Failed, TimedOut or Cancelled job that finished more than this
    /// many days ago; 0 removes all finished jobs.
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = OlderThanSet)]
    [ValidateRange(0, 36500)]
    public double OlderThanDays { get; set; }

    /// <summary>
    /// Skips the confirmation prompt. By id, it also cancels jobs that are still queued or
    /// running before removing them; -OlderThanDays removes finished jobs only.
    /// </summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    private JobControl Control => new(Store, _ => _executor ??= DockerExecutor.ForLocalEngine());

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (ParameterSetName == OlderThanSet)
        {
            RemoveOlderJobs();
            return;
        }

        foreach (var id in Id)
        {
            Remove(id, Force, $"job {id}");
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        _executor?.Dispose();
        base.EndProcessing();
    }

    private void RemoveOlderJobs()
    {
        var cutoff = DateTimeOffset.UtcNow.AddDays(-OlderThanDays);
        var jobs = RunAsync(token => Control.ListFinishedBeforeAsync(cutoff, token));
        WriteVerbose($"Found {jobs.Count} finished jobs older than {OlderThanDays} days (before {cutoff:u})");
        foreach (var job in jobs)
        {
            var finished = job.CompletedAt ?? job.CreatedAt;
            Remove(job.Id, force: false, $"job {job.Id} ({job.Name}, {job.Status} at {finished:u})");
        }
    }

    private void Remove(long id, bool force, string target)
    {
        if (!ShouldProcessUnlessForced(Force, target, "Remove job, its logs and its history"))
        {
            return;
        }

        try
        {
            RunAsync(token => Control.RemoveAsync(id, force, token));
            WriteVerbose($"Removed job {id}");
        }
        catch (ContainerManagerException ex)
        {
            WriteCoreError(ex);
        }
    }
}
