using System.Management.Automation;
using ContainerManager.Core.Jobs;
using ContainerManager.Core.Processing;
using ContainerManager.Core.Storage;
using ContainerManager.PowerShell.Infrastructure;

namespace ContainerManager.PowerShell.Commands;

/// <summary>Gets container jobs by id, or lists them by status and name.</summary>
[Cmdlet(VerbsCommon.Get, "ContainerJob", DefaultParameterSetName = ListSet)]
[OutputType(typeof(ContainerJob))]
public sealed class GetContainerJobCommand : ContainerManagerCmdlet
{
    private const string ListSet = "List";
    private const string IdSet = "Id";

    /// <summary>Ids of the jobs to get; binds from the Id of piped jobs and the JobId of attempts, events and logs.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = IdSet, ValueFromPipeline = true,
        ValueFromPipelineByPropertyName = true)]
    [Alias("JobId")]
    [ValidateRange(1, long.MaxValue)]
    public long[] Id { get; set; } = [];

    /// <summary>Lists only jobs with one of these statuses.</summary>
    [Parameter(ParameterSetName = ListSet)]
    public JobStatus[]? Status { get; set; }

    /// <summary>Lists only jobs whose name matches this pattern; * and ? are wildcards.</summary>
    [Parameter(Position = 0, ParameterSetName = ListSet)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>Maximum number of jobs listed, newest first.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateRange(1, int.MaxValue)]
    public int? First { get; set; }

    private IExecutorHostStore HostStore => new SqliteExecutorHostStore((SqliteJobStore)Store);

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (ParameterSetName == IdSet)
        {
            foreach (var id in Id)
            {
                var job = RunAsync(token => Store.GetJobAsync(id, token));
                if (job is null)
                {
                    WriteCoreError(JobControl.NotFound(id));
                    continue;
                }

                WriteObject(RunAsync(token => QueueDiagnosis.ExplainAsync(Store, HostStore, [job], token))[0]);
            }

            return;
        }

        var query = new JobQuery { Statuses = Status ?? [], NamePattern = Name, Limit = First };
        var jobs = RunAsync(async token =>
            await QueueDiagnosis.ExplainAsync(Store, HostStore, await Store.ListJobsAsync(query, token), token));
        WriteObject(jobs, enumerateCollection: true);
    }
}
