using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using ContainerManager.Core.Credentials;
using ContainerManager.Core.Errors;
using ContainerManager.Core.Hosts;
using ContainerManager.Core.Jobs;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ContainerManager.Core.Execution.Docker;

/// <summary>Runs containers on one Docker engine through the Docker Engine API.</summary>
public sealed class DockerExecutor : IContainerExecutor
{
    // Exit code of a process ended by SIGKILL (128 + 9), which the OOM killer sends.
    private const int KilledExitCode = 137;

    private readonly DockerClient _client;
    private readonly ExecutorHost _host;
    private readonly DockerTls? _tls;
    private readonly IRegistryCredentialProvider _credentials;
    private readonly ILogger _logger;

    /// <summary>
    /// Creates an executor for <paramref name="host"/>: its endpoint, TLS files, pull policy,
    /// default limits and whether it allows privileged containers and bind mounts.
    /// </summary>
    /// <param name="host">Host to run on; later changes to it do not affect this executor.</param>
    /// <param name="credentials">
    /// Where pull credentials come from; null reads the docker CLI's config file.
    /// </param>
    /// <param name="logger">Receives pulls and the credentials' source, never their secret.</param>
    /// <exception cref="ContainerManagerException">
    /// InvalidEndpoint, or TlsFileNotFound or TlsFileInvalid when a TLS file is missing or
    /// does not parse.
    /// </exception>
    public DockerExecutor(
        ExecutorHost host,
        IRegistryCredentialProvider? credentials = null,
        ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(host);
        _host = host.Clone();
        var endpoint = DockerEndpoint.Parse(host.Endpoint);
        Endpoint = host.Endpoint;
        _credentials = credentials ?? new DockerConfigCredentialProvider();
        _logger = logger ?? NullLogger.Instance;
        var builder = new DockerClientBuilder().WithEndpoint(endpoint);
        if (host.TlsEnabled)
        {
            _tls = new DockerTls(_host, endpoint);
            builder = builder.WithAuthProvider(_tls.AuthProvider);
        }

        _client = builder.Build();
    }

    /// <summary>
    /// Creates an executor for the engine at <paramref name="endpoint"/> without TLS, with the
    /// default host settings and the docker CLI's config file for pull credentials.
    /// </summary>
    public DockerExecutor(Uri endpoint)
        : this(ExecutorHost.ForEndpoint(endpoint))
    {
    }

    /// <summary>
    /// Creates an executor for the local engine ($DOCKER_HOST or the default socket, with TLS
    /// from $DOCKER_TLS_VERIFY and $DOCKER_CERT_PATH).
    /// </summary>
    public static DockerExecutor ForLocalEngine() => new(ExecutorHost.Local());

    /// <inheritdoc />
    public string Endpoint { get; }

    /// <inheritdoc />
    /// <remarks>Also reads the engine's CPUs, memory and running containers from its info call.</remarks>
    public async Task<EngineInfo> PingAsync(CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var version = await CallAsync(
            () => _client.System.GetVersionAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
        var responseTime = watch.Elapsed;
        var info = await CallAsync(
            () => _client.System.GetSystemInfoAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
        return new EngineInfo
        {
            Endpoint = Endpoint,
            Version = version.Version,
            ApiVersion = version.APIVersion,
            OperatingSystem = version.Os,
            Architecture = version.Arch,
            Cpus = (int)info.NCPU,
            MemoryBytes = info.MemTotal,
            RunningContainers = (int)info.ContainersRunning,
            ResponseTime = responseTime,
        };
    }

    /// <inheritdoc />
    public async Task<ContainerStatus> LaunchAsync(
        ContainerLaunchRequest request,
        CancellationToken cancellationToken)
    {
        if (!ImageReference.TryParse(request.Image, out var image, out var imageError))
        {
            throw new ExecutorException("InvalidImage", ErrorKind.InvalidArgument, FailureKind.Permanent,
                $"The image reference '{request.Image}' is invalid: {imageError}.", request.Image);
        }

        CheckHostAllows(request);
        CheckBindSources(request);
        // Both lookups only read, so they run together: each round trip to the engine adds
        // to the time before the container starts.
        var lookup = InspectAsync(request.Name, cancellationToken);
        var imageCheck = _host.PullPolicy == PullPolicy.Always
            ? Task.FromResult(false)
            : HasImageAsync(image!, cancellationToken);
        await Task.WhenAll(lookup, imageCheck).ConfigureAwait(false);
        var existing = await lookup.ConfigureAwait(false);
        if (existing is null)
        {
            if (!await imageCheck.ConfigureAwait(false))
            {
                await EnsureImageAsync(image!, null, cancellationToken).ConfigureAwait(false);
            }

            existing = await CreateAsync(request, cancellationToken).ConfigureAwait(false);
        }

        if (existing.NeverStarted)
        {
            await StartAsync(existing.ContainerId, request.Image, cancellationToken).ConfigureAwait(false);
            existing = await InspectAsync(existing.ContainerId, cancellationToken).ConfigureAwait(false)
                ?? throw new ExecutorException("ContainerVanished", ErrorKind.ResourceUnavailable,
                    FailureKind.Transient,
                    $"The container {request.Name} was removed from {Endpoint} right after it started.",
                    request.Name);
        }

        return existing;
    }

    /// <inheritdoc />
    public async Task<ImagePullStatus> PullImageAsync(
        string image,
        IProgress<ImagePullProgress>? progress,
        CancellationToken cancellationToken)
    {
        if (!ImageReference.TryParse(image, out var reference, out var imageError))
        {
            throw new ExecutorException("InvalidImage", ErrorKind.InvalidArgument, FailureKind.Permanent,
                $"The image reference '{image}' is invalid: {imageError}. Give a reference such as " +
                "'busybox:1.36'.", image);
        }

        var pulled = await EnsureImageAsync(reference!, progress, cancellationToken).ConfigureAwait(false);
        return pulled ? ImagePullStatus.Pulled : ImagePullStatus.AlreadyPresent;
    }

    /// <inheritdoc />
    public async Task<ContainerStatus?> InspectAsync(string containerId, CancellationToken cancellationToken)
    {
        try
        {
            var response = await CallAsync(
                () => _client.Containers.InspectContainerAsync(containerId, cancellationToken),
                cancellationToken).ConfigureAwait(false);
            var status = ToStatus(response, oomKilled: response.State?.OOMKilled ?? false);
            if (status.ExitCode == KilledExitCode && !status.OomKilled && response.HostConfig?.Memory > 0)
            {
                status = ToStatus(response, await HadOomEventAsync(response.ID, status.StartedAt, cancellationToken)
                    .ConfigureAwait(false));
            }

            return status;
        }
        catch (ExecutorException ex) when (ex.InnerException is DockerContainerNotFoundException)
        {
            return null;
        }
    }

    /// <inheritdoc />
    public async Task<ContainerStatus> WaitAsync(string containerId, CancellationToken cancellationToken)
    {
        await CallAsync(
            () => _client.Containers.WaitContainerAsync(containerId, cancellationToken),
            cancellationToken).ConfigureAwait(false);
        return await InspectAsync(containerId, cancellationToken).ConfigureAwait(false)
            ?? throw new ExecutorException("ContainerVanished", ErrorKind.ResourceUnavailable,
                FailureKind.Transient,
                $"The container {containerId} was removed from {Endpoint} before its exit code was read.",
                containerId);
    }

    /// <inheritdoc />
    public async Task ReadLogsAsync(string containerId, CapturedOutput output, CancellationToken cancellationToken)
    {
        var parameters = new ContainerLogsParameters { ShowStdout = true, ShowStderr = true, Follow = false };
        using var stream = await CallAsync(
            () => _client.Containers.GetContainerLogsAsync(containerId, parameters, cancellationToken),
            cancellationToken).ConfigureAwait(false);
        var buffer = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            while (true)
            {
                var read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, cancellationToken)
                    .ConfigureAwait(false);
                if (read.EOF)
                {
                    break;
                }

                var target = read.Target == MultiplexedStream.TargetStream.StandardError
                    ? output.Stderr
                    : output.Stdout;
                target.Append(buffer.AsSpan(0, read.Count));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<LogLine> ReadLogLinesAsync(
        string containerId,
        LogReadOptions options,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var parameters = new ContainerLogsParameters
        {
            ShowStdout = true,
            ShowStderr = true,
            Follow = options.Follow,
            Timestamps = options.Timestamps,
            Tail = options.Tail is { } tail ? tail.ToString(CultureInfo.InvariantCulture) : "all",
        };
        using var stream = await CallAsync(
            () => _client.Containers.GetContainerLogsAsync(containerId, parameters, cancellationToken),
            cancellationToken).ConfigureAwait(false);
        var stdout = new LogLineAssembler(Storage.LogStream.Stdout, options.Timestamps);
        var stderr = new LogLineAssembler(Storage.LogStream.Stderr, options.Timestamps);
        var buffer = new byte[16384];
        while (true)
        {
            var read = await CallAsync(
                () => stream.ReadOutputAsync(buffer, 0, buffer.Length, cancellationToken),
                cancellationToken).ConfigureAwait(false);
            if (read.EOF)
            {
                break;
            }

            var assembler = read.Target == MultiplexedStream.TargetStream.StandardError ? stderr : stdout;
            foreach (var line in assembler.Append(buffer.AsSpan(0, read.Count)))
            {
                yield return line;
            }
        }

        foreach (var last in new[] { stdout.Complete(), stderr.Complete() })
        {
            if (last is not null)
            {
                yield return last;
            }
        }
    }

    /// <inheritdoc />
    public async Task StopAsync(string containerId, TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        var parameters = new ContainerStopParameters
        {
            WaitBeforeKillSeconds = (uint)Math.Max(0, Math.Ceiling(gracePeriod.TotalSeconds)),
        };
        try
        {
            // With a zero wait the engine was seen to wait its own default of 10 s instead, so
            // no grace period is sent as a kill.
            if (parameters.WaitBeforeKillSeconds == 0)
            {
                await CallAsync(
                    () => _client.Containers.KillContainerAsync(containerId, new ContainerKillParameters(), cancellationToken),
                    cancellationToken).ConfigureAwait(false);
                return;
            }

            await CallAsync(
                () => _client.Containers.StopContainerAsync(containerId, parameters, cancellationToken),
                cancellationToken).ConfigureAwait(false);
        }
        catch (ExecutorException ex) when (ex.InnerException is DockerContainerNotFoundException)
        {
            // Already gone: nothing left to stop.
        }
        catch (ExecutorException ex) when (ex.InnerException is DockerApiException { StatusCode: HttpStatusCode.Conflict })
        {
            // A kill of a container that is not running: it has already stopped.
        }
    }

    /// <inheritdoc />
    public async Task RemoveAsync(string containerId, CancellationToken cancellationToken)
    {
        try
        {
            await CallAsync(
                () => _client.Containers.RemoveContainerAsync(
                    containerId, new ContainerRemoveParameters { Force = true }, cancellationToken),
                cancellationToken).ConfigureAwait(false);
        }
        catch (ExecutorException ex) when (ex.InnerException is DockerContainerNotFoundException)
        {
            // Already removed.
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ContainerStatus>> ListByLabelAsync(
        string labelKey,
        string labelValue,
        CancellationToken cancellationToken)
    {
        var parameters = new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool> { [$"{labelKey}={labelValue}"] = true },
            },
        };
        var containers = await CallAsync(
            () => _client.Containers.ListContainersAsync(parameters, cancellationToken),
            cancellationToken).ConfigureAwait(false);
        return containers
            .Select(c => new ContainerStatus
            {
                ContainerId = c.ID,
                Running = c.State is "running" or "restarting" or "paused",
                NeverStarted = c.State == "created",
                Labels = c.Labels is null ? new Dictionary<string, string>() : new Dictionary<string, string>(c.Labels),
            })
            .ToList();
    }

    /// <inheritdoc />
    public void Dispose() => _client.Dispose();

    private void CheckHostAllows(ContainerLaunchRequest request)
    {
        if (request.Privileged && !_host.AllowPrivileged)
        {
            throw new ExecutorException("PrivilegedNotAllowed", ErrorKind.PermissionDenied, FailureKind.Permanent,
                $"The job asks for a privileged container, but {Where} does not allow them. " +
                $"{AllowAdvice("privileged containers", "-AllowPrivileged")}, or run the job unprivileged.",
                request.Name);
        }

        if (request.BindMounts.Count > 0 && !_host.AllowBindMounts)
        {
            throw new ExecutorException("BindMountsNotAllowed", ErrorKind.PermissionDenied, FailureKind.Permanent,
                $"The job asks for bind mounts ({string.Join(", ", request.BindMounts)}), but {Where} does not " +
                $"allow them. {AllowAdvice("bind mounts", "-AllowBindMounts")}, or run the job without them.",
                request.Name);
        }
    }

    // Set-ExecutorHost changes only stored hosts, so for the implicit local engine the advice
    // is to store it as a host with the setting on. Once a host is stored, the implicit one is
    // no longer used.
    private string AllowAdvice(string feature, string parameter)
    {
        if (!_host.IsImplicit)
        {
            return $"Allow them with Set-ExecutorHost -Name {_host.Name} {parameter} $true";
        }

        var tls = new System.Text.StringBuilder();
        foreach (var (name, path) in new[]
        {
            ("-TlsCaPath", _host.TlsCaPath), ("-TlsCertPath", _host.TlsCertPath), ("-TlsKeyPath", _host.TlsKeyPath),
        })
        {
            if (path is not null)
            {
                tls.Append(CultureInfo.InvariantCulture, $" {name} '{path}'");
            }
        }

        return $"This engine is not stored as an executor host. Store it with {feature} allowed, with " +
            $"New-ExecutorHost -Name {_host.Name} -Endpoint {Endpoint}{tls} {parameter}";
    }

    // Mounts instead of Binds, because for Binds the engine creates a missing host path as
    // an empty directory owned by root, which hides a typo in the job's bind mount.
    private static List<Mount>? ToMounts(ContainerLaunchRequest request)
    {
        var mounts = new List<Mount>();
        foreach (var (text, type) in request.Volumes.Select(v => (v, "volume"))
            .Concat(request.BindMounts.Select(b => (b, "bind"))))
        {
            if (!ContainerOptionRules.TryParseMount(text, out var source, out var target, out var readOnly))
            {
                throw new ExecutorException("InvalidMount", ErrorKind.InvalidArgument, FailureKind.Permanent,
                    $"The {type} mount '{text}' is invalid. Give source:/path/in/container[:ro].", request.Name);
            }

            mounts.Add(new Mount { Type = type, Source = source, Target = target, ReadOnly = readOnly });
        }

        return mounts.Count > 0 ? mounts : null;
    }

    // A local engine shares this process's file system, so a missing source is
    // reported here with the job's own words instead of the engine's generic mount error.
    private void CheckBindSources(ContainerLaunchRequest request)
    {
        if (!Endpoint.StartsWith("unix:", StringComparison.Ordinal))
        {
            return;
        }

        foreach (var bindMount in request.BindMounts)
        {
            if (ContainerOptionRules.TryParseMount(bindMount, out var source, out _, out _)
                && !Directory.Exists(source) && !File.Exists(source))
            {
                throw new ExecutorException("BindMountSourceNotFound", ErrorKind.ObjectNotFound,
                    FailureKind.Permanent,
                    $"The bind mount '{bindMount}' names the host path '{source}', which does not exist on " +
                    $"{Where}. Create it and run the job again with Restart-ContainerJob, or queue the job " +
                    "again with New-ContainerJob and the right -BindMount.", source);
            }
        }
    }

    private string Where => _host.IsImplicit ? $"the engine at {Endpoint}" : $"host '{_host.Name}' ({Endpoint})";

    // Returns whether the image was pulled; false means the engine had it already.
    private async Task<bool> EnsureImageAsync(
        ImageReference image,
        IProgress<ImagePullProgress>? forward,
        CancellationToken cancellationToken)
    {
        if (_host.PullPolicy != PullPolicy.Always && await HasImageAsync(image, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        if (_host.PullPolicy == PullPolicy.Never)
        {
            throw new ExecutorException("ImageNotFound", ErrorKind.ObjectNotFound, FailureKind.Permanent,
                $"The image '{image.Original}' is not on {Where}, and the host's pull policy is Never. Load " +
                $"the image onto that engine, or let the host pull with Set-ExecutorHost -Name {_host.Name} " +
                "-PullPolicy IfNotPresent.", image.Original);
        }

        var registry = RegistryName.TryNormalize(image.RegistryOrDefault, out var normalized)
            ? normalized!
            : image.RegistryOrDefault;
        var credential = await _credentials.GetAsync(registry, cancellationToken).ConfigureAwait(false);
        if (credential is { IsUsable: false })
        {
            DockerExecutorLog.HelperSkipped(_logger, registry, credential.CredentialHelper!, credential.Source);
        }

        DockerExecutorLog.Pulling(_logger, image.Original, Where, registry,
            credential is { IsUsable: true } ? credential.UserName : null, credential?.Source);
        var authConfig = credential is not { IsUsable: true }
            ? new AuthConfig()
            : new AuthConfig
            {
                Username = credential.UserName,
                Password = credential.Password,
                IdentityToken = credential.IdentityToken,
                ServerAddress = registry,
            };

        var progress = new PullProgress(forward);
        var parameters = new ImagesCreateParameters { FromImage = image.Repository, Tag = image.PullTag };
        try
        {
            await _client.Images.CreateImageAsync(parameters, authConfig, progress, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (DockerApiException ex)
        {
            throw DockerFailures.PullFailed(image, registry, Where, DockerFailures.ApiMessage(ex), credential, ex);
        }
        catch (Exception ex) when (IsTransportFailure(ex, cancellationToken))
        {
            throw TransportFailure(ex);
        }

        if (progress.Error is { } error)
        {
            throw DockerFailures.PullFailed(image, registry, Where, error, credential, null);
        }

        DockerExecutorLog.Pulled(_logger, image.Original, Where);
        return true;
    }

    private async Task<bool> HasImageAsync(ImageReference image, CancellationToken cancellationToken)
    {
        try
        {
            await _client.Images.InspectImageAsync(image.Original, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (DockerImageNotFoundException)
        {
            return false;
        }
        catch (DockerApiException ex) when (DockerFailures.IsTlsRequired(ex))
        {
            throw DockerFailures.TlsRequired(Endpoint, ex);
        }
        catch (DockerApiException ex) when (DockerFailures.IsRejected(ex))
        {
            // The engine returns 400 for a reference that it cannot parse although this
            // module can, such as a sha256 digest with fewer than 64 hex digits.
            throw DockerFailures.ImageRejected(image.Original, Where, ex);
        }
        catch (DockerApiException ex)
        {
            throw DockerFailures.RequestFailed(Endpoint, ex);
        }
        catch (Exception ex) when (IsTransportFailure(ex, cancellationToken))
        {
            throw TransportFailure(ex);
        }
    }

    private async Task<ContainerStatus> CreateAsync(ContainerLaunchRequest request, CancellationToken cancellationToken)
    {
        var hostConfig = new HostConfig
        {
            Privileged = request.Privileged,
            Mounts = ToMounts(request),
            NetworkMode = request.Network ?? "",
        };
        if ((request.MemoryMiB ?? _host.DefaultMemoryMiB) is { } memory)
        {
            // Swap equal to memory means no swap at all, so a job over its limit is killed
            // (exit 137, OOMKilled) instead of slowing down on swap.
            hostConfig.Memory = memory * 1024L * 1024L;
            hostConfig.MemorySwap = hostConfig.Memory;
        }

        if ((request.Cpus ?? _host.DefaultCpus) is { } cpus)
        {
            hostConfig.NanoCPUs = (long)Math.Round(cpus * 1_000_000_000d);
        }

        var parameters = new CreateContainerParameters
        {
            Name = request.Name,
            Image = request.Image,
            Cmd = request.Command.Count > 0 ? request.Command.ToList() : null,
            Env = request.Environment.Select(pair => $"{pair.Key}={pair.Value}").ToList(),
            Labels = new Dictionary<string, string>(request.Labels),
            WorkingDir = request.WorkingDirectory ?? "",
            User = request.User ?? "",
            HostConfig = hostConfig,
            AttachStdout = false,
            AttachStderr = false,
            Tty = false,
        };
        try
        {
            var response = await _client.Containers.CreateContainerAsync(parameters, cancellationToken)
                .ConfigureAwait(false);
            // A new container has not started; the inspect after its start reads the rest.
            return new ContainerStatus
            {
                ContainerId = response.ID,
                NeverStarted = true,
                Labels = new Dictionary<string, string>(request.Labels),
            };
        }
        catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.Conflict)
        {
            // Another processor created the same attempt's container first: use that one.
            return await InspectAsync(request.Name, cancellationToken).ConfigureAwait(false)
                ?? throw DockerFailures.LaunchFailed(request.Image, Endpoint, ex);
        }
        catch (DockerApiException ex)
        {
            throw DockerFailures.LaunchFailed(request.Image, Endpoint, ex);
        }
        catch (Exception ex) when (IsTransportFailure(ex, cancellationToken))
        {
            throw TransportFailure(ex);
        }
    }

    // A container whose start failed is removed, because a later attempt gets a container of
    // its own and this one would only be left behind. A cancelled start keeps its container,
    // so that the processor that adopts the job can start it as the same attempt.
    private async Task StartAsync(string containerId, string image, CancellationToken cancellationToken)
    {
        ExecutorException failure;
        try
        {
            await _client.Containers.StartContainerAsync(containerId, new ContainerStartParameters(), cancellationToken)
                .ConfigureAwait(false);
            return;
        }
        catch (DockerApiException ex)
        {
            failure = DockerFailures.LaunchFailed(image, Endpoint, ex);
        }
        catch (Exception ex) when (IsTransportFailure(ex, cancellationToken))
        {
            // The engine may have started the container before the connection failed.
            failure = TransportFailure(ex);
        }

        await RemoveAfterFailedStartAsync(containerId, cancellationToken).ConfigureAwait(false);
        throw failure;
    }

    private async Task RemoveAfterFailedStartAsync(string containerId, CancellationToken cancellationToken)
    {
        try
        {
            await RemoveAsync(containerId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ExecutorException or OperationCanceledException)
        {
            // The start failure is the error to report. Remove-CmOrphanedContainer removes the
            // container once its job has ended or moved on to another attempt.
            DockerExecutorLog.RemoveFailed(_logger, containerId, Where, ex.Message);
        }
    }

    private Task CallAsync(Func<Task> call, CancellationToken cancellationToken) =>
        CallAsync(async () =>
        {
            await call().ConfigureAwait(false);
            return true;
        }, cancellationToken);

    private async Task<T> CallAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (DockerApiException ex) when (ex is DockerContainerNotFoundException)
        {
            throw new ExecutorException("ContainerNotFound", ErrorKind.ObjectNotFound, FailureKind.Permanent,
                $"The engine at {Endpoint} has no such container: {DockerFailures.ApiMessage(ex)}", null, ex);
        }
        catch (DockerApiException ex) when (DockerFailures.IsTlsRequired(ex))
        {
            throw DockerFailures.TlsRequired(Endpoint, ex);
        }
        catch (DockerApiException ex)
        {
            throw DockerFailures.RequestFailed(Endpoint, ex);
        }
        catch (Exception ex) when (IsTransportFailure(ex, cancellationToken))
        {
            throw TransportFailure(ex);
        }
    }

    private static bool IsTransportFailure(Exception exception, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested
            && (DockerFailures.IsTlsFailure(exception) || DockerFailures.IsConnectionFailure(exception));

    // A TLS failure is checked first because the handshake error arrives wrapped in the
    // same HttpRequestException and IOException as a refused connection.
    private ExecutorException TransportFailure(Exception exception) =>
        _tls is not null && DockerFailures.IsTlsFailure(exception)
            ? DockerFailures.TlsFailed(_host, _tls.LastRejection, exception)
            : DockerFailures.Unreachable(Endpoint, exception);

    // The engine sets State.OOMKilled only when the kernel's OOM notice reaches it before the
    // exit, which under load is not always so. Its 'oom' event is logged either way, so a
    // memory-limited container killed with 137 is looked up there. The window ends a second
    // in the future because the engine filters events by whole seconds.
    private async Task<bool> HadOomEventAsync(string containerId, DateTimeOffset? startedAt, CancellationToken cancellationToken)
    {
        var since = (startedAt ?? DateTimeOffset.UtcNow.AddHours(-1)).ToUnixTimeSeconds() - 1;
        var parameters = new ContainerEventsParameters
        {
            Since = since.ToString(CultureInfo.InvariantCulture),
            Until = (DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1).ToString(CultureInfo.InvariantCulture),
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["container"] = new Dictionary<string, bool> { [containerId] = true },
                ["event"] = new Dictionary<string, bool> { ["oom"] = true },
            },
        };
        var seen = new EventSeen();
        try
        {
            await CallAsync(
                async () =>
                {
                    await _client.System.MonitorEventsAsync(parameters, seen, cancellationToken).ConfigureAwait(false);
                    return true;
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (ExecutorException)
        {
            // Without the event the engine's own flag is kept.
        }

        return seen.Seen;
    }

    // Records reports on the calling thread; Progress<T> would post them after the call returned.
    private sealed class EventSeen : IProgress<Message>
    {
        public bool Seen { get; private set; }

        public void Report(Message value) => Seen = true;
    }

    private static ContainerStatus ToStatus(ContainerInspectResponse response, bool oomKilled)
    {
        var state = response.State ?? new State();
        var running = state.Running || state.Restarting || state.Paused;
        var neverStarted = state.Status == "created";
        return new ContainerStatus
        {
            ContainerId = response.ID,
            Running = running,
            NeverStarted = neverStarted,
            ExitCode = running || neverStarted ? null : (int)state.ExitCode,
            OomKilled = oomKilled,
            StartedAt = ParseTime(state.StartedAt),
            FinishedAt = ParseTime(state.FinishedAt),
            Error = string.IsNullOrEmpty(state.Error) ? null : state.Error,
            Labels = response.Config?.Labels is { } labels
                ? new Dictionary<string, string>(labels)
                : new Dictionary<string, string>(),
        };
    }

    // The engine writes RFC 3339 times with nanoseconds, and 0001-01-01 for "never".
    private static DateTimeOffset? ParseTime(object? value)
    {
        switch (value)
        {
            case DateTime time when time.Year > 1:
                return new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc));
            case DateTimeOffset offset when offset.Year > 1:
                return offset;
            case string text when DateTimeOffset.TryParse(
                text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
                && parsed.Year > 1:
                return parsed.ToUniversalTime();
            default:
                return null;
        }
    }
}
