using System.Management.Automation;
using System.Runtime.InteropServices;
using ContainerManager.Core.Errors;
using ContainerManager.Core.Execution;
using ContainerManager.Core.Storage;
using ContainerManager.Core.Processing;
using ContainerManager.PowerShell.Infrastructure;

namespace ContainerManager.PowerShell.Commands;

/// <summary>
/// Runs queued jobs on the local Docker engine: once for schedulers with -SingleRun, or in a
/// loop until Ctrl+C.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "JobProcessor", DefaultParameterSetName = ContinuousSet)]
[OutputType(typeof(ProcessorRunSummary))]
public sealed class InvokeJobProcessorCommand : ContainerManagerCmdlet
{
    /// <inheritdoc />
    protected override bool CreatesStore => true;

    private const string SingleRunSet = "SingleRun";
    private const string ContinuousSet = "Continuous";

    /// <summary>Makes one pass (harvest, claim, launch) and returns, for cron, systemd timers and Task Scheduler.</summary>
    [Parameter(Mandatory = true, ParameterSetName = SingleRunSet)]
    public SwitchParameter SingleRun { get; set; }

    /// <summary>With -SingleRun, waits for the launched jobs to finish and records their results.</summary>
    [Parameter(ParameterSetName = SingleRunSet)]
    public SwitchParameter Wait { get; set; }

    /// <summary>Jobs that may be launching or running at once.</summary>
    [Parameter]
    [ValidateRange(1, 1000)]
    public int MaxConcurrentJobs { get; set; } = 4;

    /// <summary>Seconds between claim passes in continuous mode.</summary>
    [Parameter(ParameterSetName = ContinuousSet)]
    [ValidateRange(0.05, 3600)]
    public double PollIntervalSeconds { get; set; } = 1;

    /// <summary>
    /// Seconds a stopping continuous processor (Ctrl+C or SIGTERM) waits for running jobs
    /// before it hands them over to the next processor.
    /// </summary>
    [Parameter(ParameterSetName = ContinuousSet)]
    [ValidateRange(0, 86400)]
    public int DrainTimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// Seconds a claim stays valid without renewal. A running processor renews it every third
    /// of this; when a processor dies, the next one adopts its jobs after this long.
    /// </summary>
    [Parameter]
    [ValidateRange(2, 86400)]
    public int LeaseSeconds { get; set; } = 300;

    /// <summary>Bytes of output kept per stream and attempt; half from the start, half from the end.</summary>
    [Parameter]
    [ValidateRange(1024, 1024 * 1024 * 1024)]
    public int LogCapBytes { get; set; } = 1024 * 1024;

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var options = new ProcessorOptions
        {
            MaxConcurrentJobs = MaxConcurrentJobs,
            WaitForJobs = Wait.IsPresent,
            LogCapBytes = LogCapBytes,
            PollInterval = TimeSpan.FromSeconds(PollIntervalSeconds),
            DrainTimeout = TimeSpan.FromSeconds(DrainTimeoutSeconds),
            LeaseDuration = TimeSpan.FromSeconds(LeaseSeconds),
        };
        using var pool = CreateExecutorPool(MaxConcurrentJobs);
        var processor = new JobProcessor(Store, pool, new SqliteExecutorHostStore((SqliteJobStore)Store), options, Logger);
        WriteVerbose($"Processor {processor.ProcessorId} starts");
        try
        {
            WriteObject(SingleRun ? RunAsync(processor.RunOnceAsync) : RunContinuous(processor));
        }
        catch (ContainerManagerException ex)
        {
            // EngineUnreachable lands here before anything is claimed, so every queued job
            // stays Pending for the next run.
            ThrowTerminatingError(ErrorRecords.From(ex));
        }
    }

    // Ctrl+C reaches the processor through StopProcessing; SIGTERM (systemd stop, docker
    // stop, kill) and SIGINT are caught here so that they drain instead of ending the process.
    private ProcessorRunSummary RunContinuous(JobProcessor processor)
    {
        using var stop = new CancellationTokenSource();
        void Drain(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }

        // SIGINT too: without a console (a service, a pipe) Ctrl+C arrives only as SIGINT.
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Drain);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Drain);
        WriteVerbose("Running until Ctrl+C or SIGTERM; then draining for up to " +
            $"{DrainTimeoutSeconds} s");
        return RunAsync(async token =>
        {
            // Awaited inside the lambda: disposing the link before the run ends would cut
            // it off from both tokens.
            using var link = CancellationTokenSource.CreateLinkedTokenSource(token, stop.Token);
            return await processor.RunContinuousAsync(link.Token).ConfigureAwait(false);
        });
    }
}
