using System.Management.Automation;
using ContainerManager.Core.Errors;
using ContainerManager.Core.Execution;
using ContainerManager.Core.Hosts;
using ContainerManager.Core.Jobs;
using ContainerManager.Core.Processing;

namespace ContainerManager.PowerShell.Infrastructure;

/// <summary>
/// Base of the cmdlets that act on existing jobs given by id, from the command line or
/// from piped jobs.
/// </summary>
public abstract class JobCmdlet : ContainerManagerCmdlet
{
    private ExecutorPool? _pool;

    /// <summary>Ids of the jobs; binds from the Id of piped jobs and the JobId of attempts, events and logs.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("JobId")]
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
        _pool?.Dispose();
        base.EndProcessing();
    }

    // A running job is stopped on the host it runs on.
    private IContainerExecutor ExecutorFor(ContainerJob job)
    {
        if (_pool is null)
        {
            _pool = CreateExecutorPool(ExecutorHost.DefaultMaxConcurrentJobs);
            _pool.RefreshAsync(StopToken).GetAwaiter().GetResult();
        }

        return _pool.For(job.HostName);
    }
}
