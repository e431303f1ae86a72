using System.Management.Automation;
using ContainerManager.Core.Errors;
using ContainerManager.Core.Execution;
using ContainerManager.Core.Execution.Docker;
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

    /// <summary>Seconds between passes in continuous mode.</summary>
    [Parameter(ParameterSetName = ContinuousSet)]
    [ValidateRange(0.1, 3600)]
    public double PollIntervalSeconds { get; set; } = 2;

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
        };
        using var executor = DockerExecutor.ForLocalEngine();
        var processor = new JobProcessor(Store, executor, options, Logger);
        WriteVerbose($"Processor {processor.ProcessorId} uses the engine at {executor.Endpoint}");
        if (SingleRun.IsPresent)
        {
            WriteObject(RunPass(processor));
            return;
        }

        while (!StopToken.IsCancellationRequested)
        {
            var summary = RunPass(processor);
            if (summary.JobIds.Count > 0)
            {
                WriteObject(summary);
            }

            RunAsync(token => Task.Delay(TimeSpan.FromSeconds(PollIntervalSeconds), token));
        }
    }

    private ProcessorRunSummary RunPass(JobProcessor processor)
    {
        try
        {
            return RunAsync(processor.RunOnceAsync);
        }
        catch (ExecutorException ex) when (ex.ErrorId == "EngineUnreachable")
        {
            // Nothing was claimed, so every queued job stays Pending for the next run.
            ThrowTerminatingError(ErrorRecords.From(ex));
            throw;
        }
        catch (ContainerManagerException ex)
        {
            ThrowTerminatingError(ErrorRecords.From(ex));
            throw;
        }
    }
}
