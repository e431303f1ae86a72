using System.Management.Automation;
using ContainerManager.Core.Errors;
using ContainerManager.Core.Execution;
using ContainerManager.Core.Execution.Docker;
using ContainerManager.Core.Jobs;
using ContainerManager.Core.Processing;

namespace ContainerManager.PowerShell.Infrastructure;

/// <summary>
/// Base of the cmdlets that act on existing jobs given by id, from the command line or
/// from piped jobs.
/// </summary>
public abstract class JobCmdlet : ContainerManagerCmdlet
{
    private IContainerExecutor? _executor;

    /// <summary>Ids of the jobs; binds from the Id property of piped jobs.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, long.MaxValue)]
    public long[] Id { get; set; } = [];

    /// <summary>Job operations bound to this call's store.</summary>
    protected JobControl Control => new(Store, ExecutorFor);

    /// <summary>
    /// Runs <paramref name="action"/> for each id, writing a non-terminating error for a
    /// failure and going on with the next id.
    /// </summary>
    protected void ForEachJob(Action<long> action)
    {
        foreach (var id in Id)
        {
            try
            {
                action(id);
            }
            catch (ContainerManagerException ex)
            {
                WriteCoreError(ex);
            }
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        _executor?.Dispose();
        base.EndProcessing();
    }

    // TODO: jobs on executor hosts other than the local engine are stopped through the
    // local engine; routing to the job's own host is not wired in yet.
    private IContainerExecutor ExecutorFor(ContainerJob job) => _executor ??= DockerExecutor.ForLocalEngine();
}
