using System.Management.Automation;
using ContainerManager.Core.Execution;
using ContainerManager.Core.Execution.Docker;
using ContainerManager.Core.Hosts;
using ContainerManager.Core.Jobs;
using ContainerManager.Core.Processing;
using ContainerManager.Core.Storage;
using ContainerManager.PowerShell.Infrastructure;

namespace ContainerManager.PowerShell.Commands;

/// <summary>
/// Gets the captured stdout and stderr of a job's attempt, or its output line by line, live
/// from the engine while the job runs.
/// </summary>
[Cmdlet(VerbsCommon.Get, "ContainerJobLog", DefaultParameterSetName = StoredSet)]
[OutputType(typeof(JobLog), ParameterSetName = [StoredSet])]
[OutputType(typeof(JobLogLine), ParameterSetName = [LinesSet])]
public sealed class GetContainerJobLogCommand : ContainerManagerCmdlet
{
    private const string StoredSet = "Stored";
    private const string LinesSet = "Lines";

    private readonly Dictionary<string, IContainerExecutor> _executors = new(StringComparer.OrdinalIgnoreCase);
    private IExecutorHostStore? _hosts;

    /// <summary>Id of the job; binds from the Id of piped jobs and the JobId of attempts, events and logs.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("JobId")]
    [ValidateRange(1, long.MaxValue)]
    public long Id { get; set; }

    /// <summary>
    /// Attempt whose output to get; defaults to the attempt of a piped attempt, log or log line,
    /// else to the latest attempt with stored output.
    /// </summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? Attempt { get; set; }

    /// <summary>Piped object, read only for the attempt it names; -Id binds the job.</summary>
    /// <remarks>
    /// -Attempt does not bind by property name, because a piped job's Attempt property is its
    /// latest attempt number, 0 for a job that never ran, and would override the default.
    /// </remarks>
    [Parameter(ValueFromPipeline = true, DontShow = true)]
    public PSObject? InputObject { get; set; }

    /// <summary>Which stream to get: Stdout, Stderr, or both (the default).</summary>
    [Parameter]
    public LogStream[]? Stream { get; set; }

    /// <summary>
    /// Writes a running job's lines as the container prints them, until it exits. A queued
    /// job is waited for until it starts. For a finished job, writes its stored lines.
    /// </summary>
    [Parameter(ParameterSetName = LinesSet)]
    public SwitchParameter Follow { get; set; }

    /// <summary>Number of last lines per stream to write.</summary>
    [Parameter(ParameterSetName = LinesSet)]
    [ValidateRange(0, int.MaxValue)]
    public int? Tail { get; set; }

    /// <summary>Adds the time the engine received each line; only a running job's lines have one.</summary>
    [Parameter(ParameterSetName = LinesSet)]
    public SwitchParameter Timestamps { get; set; }

    // -Attempt takes precedence over the attempt of a piped object. That one counts only for
    // its own job, not for a job given with -Id while objects of another job are piped.
    private int? SelectedAttempt => Attempt ?? (InputObject?.BaseObject switch
    {
        JobAttempt piped when piped.JobId == Id => piped.Attempt,
        JobLog piped when piped.JobId == Id => piped.Attempt,
        JobLogLine piped when piped.JobId == Id => piped.Attempt,
        _ => null,
    });

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var job = RunAsync(token => Store.GetJobAsync(Id, token));
        if (job is null)
        {
            WriteCoreError(JobControl.NotFound(Id));
            return;
        }

        if (ParameterSetName == LinesSet)
        {
            WriteLines(job);
            return;
        }

        var attempt = SelectedAttempt;
        var logs = RunAsync(token => Store.GetLogsAsync(Id, attempt, token));
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

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        foreach (var executor in _executors.Values)
        {
            executor.Dispose();
        }

        base.EndProcessing();
    }

    private void WriteWaiting(ContainerJob queued) =>
        Enqueue(cmdlet => cmdlet.WriteVerbose(
            $"Job {queued.Id} is {queued.Status}. Waiting for it to start (Ctrl+C to stop)"));

    private void WriteLines(ContainerJob job)
    {
        var attempt = SelectedAttempt;
        var options = new LogReadOptions { Follow = Follow, Tail = Tail, Timestamps = Timestamps };
        // A queued job is followed live once it starts, so its lines get timestamps too.
        var waitsForStart = JobLogReader.WaitsForStart(job, attempt, options);
        if (Timestamps && job.Status != JobStatus.Running && !waitsForStart)
        {
            WriteWarning($"Job {job.Id} is {job.Status}, and stored output has no timestamps.");
        }

        var reader = new JobLogReader(Store, ExecutorForAsync);
        if (!waitsForStart)
        {
            WriteVerbose(job.Status == JobStatus.Running
                ? $"Reading the output of job {job.Id} from container {job.ContainerId}"
                : $"Reading the stored output of job {job.Id} (status {job.Status})");
        }

        try
        {
            RunAsync(async token =>
            {
                var lines = reader.ReadLinesAsync(job, attempt, options, WriteWaiting, token);
                await foreach (var line in lines.ConfigureAwait(false))
                {
                    if (Stream is null || Stream.Contains(line.Stream))
                    {
                        Enqueue(cmdlet => cmdlet.WriteObject(line));
                    }
                }
            });
        }
        catch (Core.Errors.ContainerManagerException ex)
        {
            WriteCoreError(ex);
        }
    }

    // Lines come from the engine of the host that runs the job. A job of the implicit local
    // host, or of a host removed since, is read from the local engine.
    private async Task<IContainerExecutor> ExecutorForAsync(ContainerJob job, CancellationToken cancellationToken)
    {
        var name = job.HostName ?? ExecutorHost.LocalName;
        if (_executors.TryGetValue(name, out var cached))
        {
            return cached;
        }

        _hosts ??= new SqliteExecutorHostStore((SqliteJobStore)Store);
        var host = await _hosts.GetHostAsync(name, cancellationToken).ConfigureAwait(false);
        var executor = host is null ? DockerExecutor.ForLocalEngine() : new DockerExecutor(host);
        _executors[name] = executor;
        return executor;
    }
}
