using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using ContainerManager.Core.Errors;
using ContainerManager.Core.Execution;
using ContainerManager.Core.Hosts;
using ContainerManager.Core.Jobs;
using ContainerManager.Core.Storage;
using ContainerManager.Core.Templates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ContainerManager.Core.Processing;

/// <summary>
/// Moves jobs through their life cycle on the executor hosts: adopts jobs whose processor
/// died, harvests finished containers, enforces timeouts, and places, claims and launches
/// due jobs within each host's capacity and the store-wide concurrency limit.
/// </summary>
public sealed class JobProcessor
{
    /// <summary>Label with the job id on every container the module creates.</summary>
    public const string JobLabel = "containermanager.job";

    /// <summary>Label with the attempt number.</summary>
    public const string AttemptLabel = "containermanager.attempt";

    /// <summary>Label with the store id, so that two stores on one engine keep apart.</summary>
    public const string StoreLabel = "containermanager.store";

    private readonly IJobStore _store;
    private readonly ExecutorPool _pool;
    private readonly IExecutorHostStore? _hostStore;
    private readonly ProcessorOptions _options;
    private readonly ILogger _logger;
    private readonly JobFinisher _finisher;
    private ProcessorInfo _info;

    // Jobs this processor waits on, so each is watched by one task only.
    private readonly ConcurrentDictionary<long, Task> _watched = new();
    private readonly WakeSignal _wake = new();
    private DateTimeOffset _lastScan = DateTimeOffset.MinValue;
    private bool _watchJobs;
    private CancellationToken _watchToken;

    /// <summary>
    /// Creates a processor that runs every job on one engine, recorded as host
    /// <see cref="ProcessorOptions.HostName"/>; <paramref name="logger"/> receives every step
    /// and every caught error.
    /// </summary>
    public JobProcessor(IJobStore store, IContainerExecutor executor, ProcessorOptions options, ILogger? logger = null)
        : this(store, new ExecutorPool(executor, options.HostName, options.MaxConcurrentJobs), null, options, logger)
    {
    }

    /// <summary>
    /// Creates a processor that runs jobs on the hosts of <paramref name="pool"/> and records
    /// their health checks in <paramref name="hostStore"/> when one is given.
    /// </summary>
    public JobProcessor(
        IJobStore store,
        ExecutorPool pool,
        IExecutorHostStore? hostStore,
        ProcessorOptions options,
        ILogger? logger = null)
    {
        _store = store;
        _pool = pool;
        _hostStore = hostStore;
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _finisher = new JobFinisher(store, ExecutorFor, options, _logger);
        ProcessorId = string.Create(CultureInfo.InvariantCulture,
            $"{System.Environment.MachineName}:{System.Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..6]}");
        _info = new ProcessorInfo
        {
            Id = ProcessorId,
            Machine = System.Environment.MachineName,
            ProcessId = System.Environment.ProcessId,
            Mode = "SingleRun",
            StartedAt = DateTimeOffset.UtcNow,
        };
    }

    /// <summary>Id written on the claims this processor makes.</summary>
    public string ProcessorId { get; }

    /// <summary>Returns the container name for one attempt of one job in one store.</summary>
    public static string ContainerName(string storeId, long jobId, int attempt) =>
        string.Create(CultureInfo.InvariantCulture, $"cm-{storeId}-{jobId}-{attempt}");

    /// <summary>
    /// Makes one pass: checks the engine, adopts and harvests, then claims and launches due
    /// jobs. With <see cref="ProcessorOptions.WaitForJobs"/> it also waits for every job it
    /// launched or adopted and records the results.
    /// </summary>
    /// <exception cref="ExecutorException">EngineUnreachable when no engine responds;
    /// nothing is claimed then, so queued jobs stay Pending.</exception>
    public async Task<ProcessorRunSummary> RunOnceAsync(CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var endpoints = await CheckHostsAsync(cancellationToken).ConfigureAwait(false);
        var summary = new ProcessorRunSummary { ProcessorId = ProcessorId, Endpoint = endpoints };
        try
        {
            await CycleAsync(summary, _options.WaitForJobs, cancellationToken, cancellationToken).ConfigureAwait(false);
            if (_options.WaitForJobs)
            {
                using var heartbeat = StartHeartbeat(cancellationToken);
                await Task.WhenAll(_watched.Values).ConfigureAwait(false);
            }
        }
        finally
        {
            // No task watches this run's jobs once it exits, normally or not, so their leases
            // lapse now and the next run of any processor relaunches or harvests them at once.
            await _store.RenewLeasesAsync(ProcessorId, TimeSpan.FromMilliseconds(-1), CancellationToken.None)
                .ConfigureAwait(false);
            await _store.RecordHeartbeatAsync(_info, stopped: true, CancellationToken.None).ConfigureAwait(false);
        }
        summary.Duration = watch.Elapsed;
        return summary;
    }

    /// <summary>
    /// Runs passes every <see cref="ProcessorOptions.PollInterval"/> until
    /// <paramref name="stopToken"/> is cancelled, then stops claiming and drains: it waits
    /// up to <see cref="ProcessorOptions.DrainTimeout"/> for running jobs, and hands the
    /// rest over by letting their leases lapse at once.
    /// </summary>
    public async Task<ProcessorRunSummary> RunContinuousAsync(CancellationToken stopToken)
    {
        var watch = Stopwatch.StartNew();
        _info = new ProcessorInfo
        {
            Id = _info.Id, Machine = _info.Machine, ProcessId = _info.ProcessId, Mode = "Continuous",
            StartedAt = _info.StartedAt,
        };
        var summary = new ProcessorRunSummary
        {
            ProcessorId = ProcessorId,
            Endpoint = await CheckHostsAsync(stopToken).ConfigureAwait(false),
        };

        // Waits on running jobs use their own token, so that a stop request ends claiming at
        // once but lets running jobs finish during the drain.
        using var watchStop = new CancellationTokenSource();
        // Waking on store writes starts a job queued by another process without waiting for
        // the poll. The poll remains for due times and for stores that cannot notify.
        using var storeWatch = _store.WatchForChanges(_wake.Set, out var unwatchable);
        if (unwatchable is not null)
        {
            ProcessorLog.PollingOnly(_logger, ProcessorId, _options.PollInterval.TotalSeconds, unwatchable);
        }

        var lastHeartbeat = DateTimeOffset.MinValue;
        var woken = false;
        while (!stopToken.IsCancellationRequested)
        {
            var activityBefore = summary.Activity;
            try
            {
                if (DateTimeOffset.UtcNow - lastHeartbeat > HeartbeatInterval)
                {
                    // The check records the heartbeat, with the reason when no engine responds.
                    await CheckHostsQuietlyAsync(summary, stopToken).ConfigureAwait(false);
                    await _store.RenewLeasesAsync(ProcessorId, _options.LeaseDuration, stopToken).ConfigureAwait(false);
                    lastHeartbeat = DateTimeOffset.UtcNow;
                }

                await CycleAsync(summary, watchJobs: true, stopToken, watchStop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopToken.IsCancellationRequested)
            {
                break;
            }
            catch (ContainerManagerException ex)
            {
                // An engine or store hiccup must not end a long-running processor; the next
                // pass tries again.
                summary.RecordError();
                ProcessorLog.CycleFailed(_logger, ex.Message, ex);
            }

            try
            {
                var passEnded = Stopwatch.GetTimestamp();
                var passWrote = summary.Activity != activityBefore;
                // The first write of another process's commit wakes this processor, and the
                // commit becomes visible a little later without a further event. A woken pass
                // that found nothing is therefore repeated once, shortly after.
                var timeout = woken && !passWrote ? Shorter(RecheckDelay) : _options.PollInterval;
                woken = await _wake.WaitAsync(timeout, stopToken).ConfigureAwait(false);
                if (woken)
                {
                    // A pass that launched or finished jobs wrote to the store and so wakes the
                    // next one, and the longer gap keeps a busy store from turning that into a
                    // loop of empty passes. Otherwise a short settle lets the commit finish.
                    var gap = (passWrote ? MinimumWakeGap : Shorter(WakeSettle)) - Stopwatch.GetElapsedTime(passEnded);
                    if (gap > TimeSpan.Zero)
                    {
                        await Task.Delay(gap, stopToken).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        await DrainAsync(watchStop).ConfigureAwait(false);
        summary.Duration = watch.Elapsed;
        return summary;
    }

    private TimeSpan HeartbeatInterval => _options.LeaseDuration / 3;

    // Allows at most 20 woken passes per second after passes that wrote.
    private static readonly TimeSpan WakeGap = TimeSpan.FromMilliseconds(50);

    // Time a commit that woke the processor gets to become visible before the pass reads.
    private static readonly TimeSpan WakeSettle = TimeSpan.FromMilliseconds(10);

    // Delay of the second look after a woken pass that found nothing.
    private static readonly TimeSpan RecheckDelay = TimeSpan.FromMilliseconds(50);

    private TimeSpan MinimumWakeGap => Shorter(WakeGap);

    // None of the wake delays is longer than the poll interval itself.
    private TimeSpan Shorter(TimeSpan delay) => delay < _options.PollInterval ? delay : _options.PollInterval;

    // Checks every enabled host and records the result, so that unhealthy hosts get no new
    // jobs and recovered ones get them again. Returns the endpoints for the summary.
    private async Task<string> CheckHostsAsync(CancellationToken cancellationToken)
    {
        var hosts = (await _pool.RefreshAsync(cancellationToken).ConfigureAwait(false)).Where(h => h.Enabled).ToList();
        var results = await Task.WhenAll(hosts.Select(h => PingAsync(h, cancellationToken))).ConfigureAwait(false);
        var failures = results.Where(r => r is not null).Select(r => r!).ToList();
        if (hosts.Count > 0 && failures.Count == hosts.Count)
        {
            // No engine responds, so nothing is claimed and queued jobs stay Pending. The
            // recorded reason becomes their wait reason. A single run ends here.
            _info = _info.WithLastError(failures.Count == 1
                ? failures[0].Message
                : $"None of the {failures.Count} enabled executor hosts responded. {failures[0].Message}");
            await _store.RecordHeartbeatAsync(_info, stopped: _info.Mode == "SingleRun", cancellationToken)
                .ConfigureAwait(false);
            throw failures[0];
        }

        _info = _info.WithLastError(null);
        await _store.RecordHeartbeatAsync(_info, stopped: false, cancellationToken).ConfigureAwait(false);
        return string.Join(", ", hosts.Select(h => h.Endpoint));
    }

    private async Task CheckHostsQuietlyAsync(ProcessorRunSummary summary, CancellationToken cancellationToken)
    {
        try
        {
            await CheckHostsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ContainerManagerException ex)
        {
            summary.RecordError();
            ProcessorLog.CycleFailed(_logger, ex.Message, ex);
        }
    }

    private async Task<ContainerManagerException?> PingAsync(ExecutorHost host, CancellationToken cancellationToken)
    {
        HostHealth health;
        ContainerManagerException? failure = null;
        try
        {
            var engine = await _pool.For(host.Name).PingAsync(cancellationToken).ConfigureAwait(false);
            ProcessorLog.EngineReady(_logger, ProcessorId, engine.Endpoint, engine.Version, engine.ApiVersion);
            health = new HostHealth
            {
                HostName = host.Name, Endpoint = host.Endpoint, CheckedAt = DateTimeOffset.UtcNow, Ok = true,
                Message = "ok", EngineVersion = engine.Version, ApiVersion = engine.ApiVersion,
                OperatingSystem = engine.OperatingSystem, Architecture = engine.Architecture,
                ResponseTimeMs = (long)engine.ResponseTime.TotalMilliseconds,
            };
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Any failure of one host, even one the Docker client does not classify, must
            // only take that host out of the placement, not end the run for the others.
            failure = ex as ContainerManagerException ?? new ExecutorException("EngineUnreachable",
                ErrorKind.ResourceUnavailable, FailureKind.Transient,
                $"The executor host '{host.Name}' at {host.Endpoint} cannot be used: {ex.Message}", host.Name, ex);
            ProcessorLog.HostUnreachable(_logger, host.Name, failure.Message);
            health = new HostHealth
            {
                HostName = host.Name, Endpoint = host.Endpoint, CheckedAt = DateTimeOffset.UtcNow, Ok = false,
                Message = failure.Message,
            };
        }

        host.LastHealth = health;
        if (_hostStore is not null && !host.IsImplicit)
        {
            await _hostStore.SaveHealthAsync(host.Name, health, cancellationToken).ConfigureAwait(false);
        }

        return failure;
    }

    private IContainerExecutor ExecutorFor(ContainerJob job) => _pool.For(job.HostName);

    private async Task CycleAsync(
        ProcessorRunSummary summary,
        bool watchJobs,
        CancellationToken cancellationToken,
        CancellationToken watchToken)
    {
        _watchToken = watchToken;
        _watchJobs = watchJobs;
        await AdoptExpiredAsync(summary, cancellationToken).ConfigureAwait(false);
        if (!watchJobs || DateTimeOffset.UtcNow - _lastScan >= _options.ScanInterval)
        {
            await ScanRunningAsync(summary, cancellationToken).ConfigureAwait(false);
            _lastScan = DateTimeOffset.UtcNow;
        }

        await LaunchDueJobsAsync(summary, cancellationToken).ConfigureAwait(false);
    }

    // A job whose lease lapsed lost its processor mid-way. Launching the same attempt again
    // is safe because the container name is fixed per attempt: an existing container is
    // found and adopted instead of a second one being created.
    private async Task AdoptExpiredAsync(ProcessorRunSummary summary, CancellationToken cancellationToken)
    {
        var adopted = await _store.TakeOverExpiredLeasesAsync(ProcessorId, _options.LeaseDuration, cancellationToken)
            .ConfigureAwait(false);
        foreach (var job in adopted)
        {
            ProcessorLog.Adopted(_logger, job.Id, job.Status.ToString());
            if (job.Status == JobStatus.Launching)
            {
                await LaunchAndWatchAsync(job, summary, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                Watch(job, summary);
            }
        }
    }

    // Finds Running jobs that no task of this processor waits on, and finishes those whose
    // container exited or ran past its timeout.
    private async Task ScanRunningAsync(ProcessorRunSummary summary, CancellationToken cancellationToken)
    {
        var running = await _store.ListJobsAsync(new JobQuery { Statuses = [JobStatus.Running] }, cancellationToken)
            .ConfigureAwait(false);
        var now = DateTimeOffset.UtcNow;
        // A job leased by another live processor is that processor's to finish; harvesting
        // it here as well would race with its removal of the container.
        var unwatched = running.Where(j =>
            j.ContainerId is not null
            && !_watched.ContainsKey(j.Id)
            && (j.LeaseOwner is null || j.LeaseOwner == ProcessorId || j.LeaseExpiresAt < now));
        foreach (var job in unwatched)
        {
            try
            {
                var executor = ExecutorFor(job);
                var status = await executor.InspectAsync(job.ContainerId!, cancellationToken).ConfigureAwait(false);
                if (status is null)
                {
                    await _finisher.RetryOrFailAsync(job, JobStatus.Running,
                        $"The container {job.ContainerId} disappeared from {executor.Endpoint} before it was harvested.",
                        summary, cancellationToken).ConfigureAwait(false);
                }
                else if (!status.Running)
                {
                    await _finisher.HarvestAsync(job, status, summary, cancellationToken).ConfigureAwait(false);
                }
                else if (IsPastTimeout(job, status))
                {
                    await _finisher.TimeOutAsync(job, summary, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (!IsStopRequest(ex, cancellationToken))
            {
                // One job's failure, classified or not, must not end the scan of the others;
                // the job stays Running and the next scan tries again.
                summary.RecordError();
                ProcessorLog.HarvestFailed(_logger, job.Id, ex.Message, ex);
            }
        }
    }

    // Places due jobs on hosts with free capacity, then claims them. The claim re-checks
    // every count inside its transaction, so the placement only needs to be a good guess.
    private async Task LaunchDueJobsAsync(ProcessorRunSummary summary, CancellationToken cancellationToken)
    {
        var due = await _store.PeekDueJobsAsync(_options.MaxConcurrentJobs * 2, cancellationToken).ConfigureAwait(false);
        if (due.Count == 0)
        {
            return;
        }

        var hosts = _pool.Hosts;
        var counts = new Dictionary<string, int>(
            await _store.CountActiveJobsByHostAsync(cancellationToken).ConfigureAwait(false),
            StringComparer.OrdinalIgnoreCase);
        var placements = new List<JobPlacement>();
        foreach (var job in due)
        {
            var selection = HostSelector.Select(hosts, counts, job.TargetHost, job.HostLabels, Random.Shared);
            if (selection.Host is not { } host)
            {
                ProcessorLog.NotPlaced(_logger, job.Id, selection.Reason ?? "no host fits");
                continue;
            }

            counts[host.Name] = counts.GetValueOrDefault(host.Name) + 1;
            placements.Add(new JobPlacement(job.Id, host.Name, host.MaxConcurrentJobs));
        }

        var claimed = await _store.ClaimPlacedJobsAsync(ProcessorId, placements, _options.MaxConcurrentJobs,
            _options.LeaseDuration, cancellationToken).ConfigureAwait(false);
        // The engine creates and starts containers in parallel, so one slow launch (a pull,
        // say) must not hold back the others of the batch.
        foreach (var job in claimed)
        {
            ProcessorLog.Claimed(_logger, job.Id, job.Attempt, job.Image);
        }

        await Task.WhenAll(claimed.Select(job => LaunchAndWatchAsync(job, summary, cancellationToken)))
            .ConfigureAwait(false);
    }

    // Each job of a claimed batch is launched on its own: a failure after the launch (the
    // harvest of a container that exited at once, say) must not leave the rest Launching,
    // and no exception of one job may end the run for the others.
    private async Task LaunchAndWatchAsync(ContainerJob job, ProcessorRunSummary summary, CancellationToken cancellationToken)
    {
        try
        {
            var running = await LaunchAsync(job, summary, cancellationToken).ConfigureAwait(false);
            if (running is not null)
            {
                Watch(running, summary);
            }
        }
        catch (Exception ex) when (!IsStopRequest(ex, cancellationToken))
        {
            summary.RecordError();
            ProcessorLog.HarvestFailed(_logger, job.Id, ex.Message, ex);
        }
    }

    private static bool IsStopRequest(Exception exception, CancellationToken cancellationToken) =>
        exception is OperationCanceledException && cancellationToken.IsCancellationRequested;

    private async Task<ContainerJob?> LaunchAsync(ContainerJob job, ProcessorRunSummary summary, CancellationToken cancellationToken)
    {
        ContainerStatus container;
        IReadOnlyDictionary<string, string>? environment = null;
        try
        {
            environment = EnvironmentReferenceResolver.Resolve(
                job.EnvironmentValues, System.Environment.GetEnvironmentVariable);
            container = await ExecutorFor(job).LaunchAsync(BuildRequest(job, environment), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (ExecutorException ex) when (ex.FailureKind == FailureKind.Transient)
        {
            var reason = RedactSecrets(ex.Message, job, environment);
            summary.RecordError();
            ProcessorLog.LaunchFailed(_logger, job.Id, reason, ex);
            await _finisher.RetryOrFailAsync(job, JobStatus.Launching, reason, summary, cancellationToken)
                .ConfigureAwait(false);
            return null;
        }
        catch (ContainerManagerException ex)
        {
            var reason = RedactSecrets(ex.Message, job, environment);
            summary.RecordError();
            ProcessorLog.LaunchFailed(_logger, job.Id, reason, ex);
            await _finisher.FailAsync(job, JobStatus.Launching, reason, summary, cancellationToken)
                .ConfigureAwait(false);
            return null;
        }
        catch (Exception ex) when (!IsStopRequest(ex, cancellationToken))
        {
            // No executor classified this error, so it is likely a defect or a setup problem
            // that another attempt would meet again. Failing the job also keeps it from staying
            // Launching, where every later run would adopt it and throw again.
            var reason = RedactSecrets(
                $"The launch failed with an unexpected {ex.GetType().FullName}: {ex.Message}", job, environment);
            summary.RecordError();
            ProcessorLog.LaunchFailed(_logger, job.Id, reason, ex);
            await _finisher.FailAsync(job, JobStatus.Launching, reason, summary, cancellationToken)
                .ConfigureAwait(false);
            return null;
        }

        var changes = new JobChanges
        {
            ContainerId = container.ContainerId,
            StartedAt = container.StartedAt ?? DateTimeOffset.UtcNow,
        };
        // The container runs now, so a stop request must not cut the recording short: a job
        // left without its watch would be skipped by the drain and handed over instead.
        var recording = CancellationToken.None;
        if (!await _store.TryTransitionAsync(job.Id, JobStatus.Launching, JobStatus.Running, changes, recording)
            .ConfigureAwait(false))
        {
            // Cancelled while launching: the container must not outlive its job.
            ProcessorLog.LostRace(_logger, job.Id, nameof(JobStatus.Running));
            await ExecutorFor(job).RemoveAsync(container.ContainerId, recording).ConfigureAwait(false);
            return null;
        }

        summary.Record(JobStatus.Running, job.Id);
        ProcessorLog.Started(_logger, job.Id, container.ContainerId, job.HostName ?? "");
        await _store.AddEventAsync(job.Id, "Started",
            $"attempt {job.Attempt} started in container {container.ContainerId} on host {job.HostName}",
            recording).ConfigureAwait(false);
        var running = await _store.GetJobAsync(job.Id, recording).ConfigureAwait(false);
        if (running is not null && !container.Running)
        {
            // The container already exited (a fast job, or one adopted after a crash).
            await _finisher.HarvestAsync(running, container, summary, recording).ConfigureAwait(false);
            return null;
        }

        return running;
    }

    /// <summary>
    /// Hides the job's secret values in a failure message, which may quote the engine's reply
    /// and is logged and stored on the job. Values resolved from the processor's environment
    /// count too, because they were never stored and masked.
    /// </summary>
    private static string RedactSecrets(
        string message,
        ContainerJob job,
        IReadOnlyDictionary<string, string>? resolvedEnvironment)
    {
        var secretKeys = job.SecretKeys;
        var secretValues = SecretMask.GetSecretValues(job.EnvironmentValues, secretKeys)
            .Concat(resolvedEnvironment is null ? [] : SecretMask.GetSecretValues(resolvedEnvironment, secretKeys));
        return SecretMask.Redact(message, secretValues);
    }

    private ContainerLaunchRequest BuildRequest(ContainerJob job, IReadOnlyDictionary<string, string> environment)
    {
        var host = _pool.Hosts.FirstOrDefault(h => string.Equals(h.Name, job.HostName, StringComparison.OrdinalIgnoreCase));
        return new ContainerLaunchRequest
        {
            Name = ContainerName(_store.StoreId, job.Id, job.Attempt),
            Image = job.Image,
            Command = job.CommandValues,
            Environment = environment,
            MemoryMiB = job.MemoryMiB ?? host?.DefaultMemoryMiB,
            Cpus = job.Cpus ?? host?.DefaultCpus,
            WorkingDirectory = job.WorkingDirectory,
            User = job.User,
            Network = job.Network,
            Volumes = job.Volumes,
            BindMounts = job.BindMounts,
            Privileged = job.Privileged,
            Labels = new Dictionary<string, string>(job.Labels)
            {
                [JobLabel] = job.Id.ToString(CultureInfo.InvariantCulture),
                [AttemptLabel] = job.Attempt.ToString(CultureInfo.InvariantCulture),
                [StoreLabel] = _store.StoreId,
            },
        };
    }

    // Starts a task that waits for the job's container and records the result, when this
    // run watches jobs (continuous mode, or a single run with WaitForJobs).
    private void Watch(ContainerJob job, ProcessorRunSummary summary)
    {
        if (!_watchJobs || _watched.ContainsKey(job.Id))
        {
            return;
        }

        var token = _watchToken;
        var task = Task.Run(() => WaitAndFinishAsync(job, summary, token), CancellationToken.None);
        if (_watched.TryAdd(job.Id, task))
        {
            task.ContinueWith(
                _ =>
                {
                    _watched.TryRemove(job.Id, out Task? _);
                    // The finished job freed a slot that a queued job can take now.
                    _wake.Set();
                },
                TaskScheduler.Default);
        }
    }

    private async Task WaitAndFinishAsync(ContainerJob job, ProcessorRunSummary summary, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (job.TimeoutSeconds is { } seconds)
        {
            var started = job.StartedAt ?? DateTimeOffset.UtcNow;
            var remaining = started.AddSeconds(seconds) - DateTimeOffset.UtcNow;
            timeout.CancelAfter(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);
        }

        try
        {
            var status = await ExecutorFor(job).WaitAsync(job.ContainerId!, timeout.Token).ConfigureAwait(false);
            await _finisher.HarvestAsync(job, status, summary, CancellationToken.None).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await _finisher.TimeOutAsync(job, summary, CancellationToken.None).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The processor is stopping; the job keeps running and is adopted later.
        }
        catch (ExecutorException ex) when (ex.ErrorId == "EngineUnreachable")
        {
            // The job stays Running; a later scan finishes it once the engine is back.
            summary.RecordError();
            ProcessorLog.HarvestFailed(_logger, job.Id, ex.Message, ex);
            await _store.MarkInterruptedAsync(job.Id, job.Attempt, ex.Message, CancellationToken.None)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A faulted watch would end the drain that awaits it, so every failure stops here.
            // The job stays Running, and a scan of this or another processor harvests it.
            summary.RecordError();
            ProcessorLog.HarvestFailed(_logger, job.Id, ex.Message, ex);
        }
    }

    private IDisposable StartHeartbeat(CancellationToken cancellationToken) =>
        new Timer(
            _ =>
            {
                _ = _store.RenewLeasesAsync(ProcessorId, _options.LeaseDuration, cancellationToken)
                    .ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted);
            },
            null,
            HeartbeatInterval,
            HeartbeatInterval);

    private async Task DrainAsync(CancellationTokenSource watchStop)
    {
        var pending = _watched.Values.ToArray();
        if (pending.Length > 0)
        {
            ProcessorLog.Draining(_logger, ProcessorId, _options.DrainTimeout.TotalSeconds, pending.Length);
            using var heartbeat = StartHeartbeat(CancellationToken.None);
            await Task.WhenAny(Task.WhenAll(pending), Task.Delay(_options.DrainTimeout)).ConfigureAwait(false);
        }

        // A finished watch leaves _watched in a continuation that may not have run yet, so
        // the count is of unfinished tasks, not of entries.
        var left = _watched.Values.Count(t => !t.IsCompleted);
        await watchStop.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_watched.Values.ToArray()).ConfigureAwait(false);
        // Expiring the leases now lets the next processor adopt these jobs at once instead of
        // after a full lease period. That includes a job whose launch the stop interrupted,
        // which is Launching and has no watch.
        await _store.RenewLeasesAsync(ProcessorId, TimeSpan.FromMilliseconds(-1), CancellationToken.None)
            .ConfigureAwait(false);
        if (left > 0)
        {
            ProcessorLog.HandedOff(_logger, ProcessorId, left);
        }

        await _store.RecordHeartbeatAsync(_info, stopped: true, CancellationToken.None).ConfigureAwait(false);
    }

    private static bool IsPastTimeout(ContainerJob job, ContainerStatus status) =>
        job.TimeoutSeconds is { } seconds
        && (status.StartedAt ?? job.StartedAt) is { } started
        && DateTimeOffset.UtcNow - started > TimeSpan.FromSeconds(seconds);
}
