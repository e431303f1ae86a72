using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using ContainerManager.Core.Errors;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace ContainerManager.Core.Execution.Docker;

/// <summary>Runs containers on one Docker engine through the Docker Engine API.</summary>
public sealed class DockerExecutor : IContainerExecutor
{
    private readonly DockerClient _client;

    /// <summary>Creates an executor for the engine at <paramref name="endpoint"/>.</summary>
    public DockerExecutor(Uri endpoint)
    {
        Endpoint = endpoint.ToString();
        _client = new DockerClientBuilder().WithEndpoint(endpoint).Build();
    }

    /// <summary>Creates an executor for the local engine ($DOCKER_HOST or the default socket).</summary>
    public static DockerExecutor ForLocalEngine() => new(DockerEndpoint.ResolveLocal());

    /// <inheritdoc />
    public string Endpoint { get; }

    /// <inheritdoc />
    public async Task<EngineInfo> PingAsync(CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var version = await CallAsync(
            () => _client.System.GetVersionAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
        return new EngineInfo
        {
            Endpoint = Endpoint,
            Version = version.Version,
            ApiVersion = version.APIVersion,
            OperatingSystem = version.Os,
            Architecture = version.Arch,
            ResponseTime = watch.Elapsed,
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

        var existing = await InspectAsync(request.Name, cancellationToken).ConfigureAwait(false);
        if (existing is null)
        {
            await EnsureImageAsync(image!, cancellationToken).ConfigureAwait(false);
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
    public async Task<ContainerStatus?> InspectAsync(string containerId, CancellationToken cancellationToken)
    {
        try
        {
            var response = await CallAsync(
                () => _client.Containers.InspectContainerAsync(containerId, cancellationToken),
                cancellationToken).ConfigureAwait(false);
            return ToStatus(response);
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
    public async Task StopAsync(string containerId, TimeSpan gracePeriod, CancellationToken cancellationToken)
    {
        var parameters = new ContainerStopParameters
        {
            WaitBeforeKillSeconds = (uint)Math.Max(0, Math.Ceiling(gracePeriod.TotalSeconds)),
        };
        try
        {
            await CallAsync(
                () => _client.Containers.StopContainerAsync(containerId, parameters, cancellationToken),
                cancellationToken).ConfigureAwait(false);
        }
        catch (ExecutorException ex) when (ex.InnerException is DockerContainerNotFoundException)
        {
            // Already gone: nothing left to stop.
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

    private async Task EnsureImageAsync(ImageReference image, CancellationToken cancellationToken)
    {
        try
        {
            await _client.Images.InspectImageAsync(image.Original, cancellationToken).ConfigureAwait(false);
            return;
        }
        catch (DockerImageNotFoundException)
        {
            // Not on the engine yet: pull it below.
        }
        catch (Exception ex) when (DockerFailures.IsConnectionFailure(ex) && !cancellationToken.IsCancellationRequested)
        {
            throw DockerFailures.Unreachable(Endpoint, ex);
        }

        // The engine reports some pull failures only inside the progress stream, with a
        // successful HTTP status, so every message is checked for an error.
        string? streamError = null;
        var progress = new Progress<JSONMessage>(message =>
        {
            var error = message.Error?.Message;
            if (error is { Length: > 0 })
            {
                streamError ??= error;
            }
        });
        var parameters = new ImagesCreateParameters { FromImage = image.Repository, Tag = image.PullTag };
        try
        {
            await _client.Images.CreateImageAsync(parameters, new AuthConfig(), progress, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (DockerApiException ex)
        {
            throw DockerFailures.PullFailed(image.Original, Endpoint, DockerFailures.ApiMessage(ex), ex);
        }
        catch (Exception ex) when (DockerFailures.IsConnectionFailure(ex) && !cancellationToken.IsCancellationRequested)
        {
            throw DockerFailures.Unreachable(Endpoint, ex);
        }

        if (streamError is not null)
        {
            throw DockerFailures.PullFailed(image.Original, Endpoint, streamError, null);
        }
    }

    private async Task<ContainerStatus> CreateAsync(ContainerLaunchRequest request, CancellationToken cancellationToken)
    {
        var hostConfig = new HostConfig();
        if (request.MemoryMiB is { } memory)
        {
            // Swap equal to memory means no swap at all, so a job over its limit is killed
            // (exit 137, OOMKilled) instead of slowing down on swap.
            hostConfig.Memory = memory * 1024L * 1024L;
            hostConfig.MemorySwap = hostConfig.Memory;
        }

        if (request.Cpus is { } cpus)
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
            HostConfig = hostConfig,
            AttachStdout = false,
            AttachStderr = false,
            Tty = false,
        };
        try
        {
            var response = await _client.Containers.CreateContainerAsync(parameters, cancellationToken)
                .ConfigureAwait(false);
            return await InspectAsync(response.ID, cancellationToken).ConfigureAwait(false)
                ?? throw new ExecutorException("ContainerVanished", ErrorKind.ResourceUnavailable,
                    FailureKind.Transient, $"The container {request.Name} disappeared right after it was created.",
                    request.Name);
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
        catch (Exception ex) when (DockerFailures.IsConnectionFailure(ex) && !cancellationToken.IsCancellationRequested)
        {
            throw DockerFailures.Unreachable(Endpoint, ex);
        }
    }

    private async Task StartAsync(string containerId, string image, CancellationToken cancellationToken)
    {
        try
        {
            await _client.Containers.StartContainerAsync(containerId, new ContainerStartParameters(), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (DockerApiException ex)
        {
            throw DockerFailures.LaunchFailed(image, Endpoint, ex);
        }
        catch (Exception ex) when (DockerFailures.IsConnectionFailure(ex) && !cancellationToken.IsCancellationRequested)
        {
            throw DockerFailures.Unreachable(Endpoint, ex);
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
        catch (DockerApiException ex)
        {
            var transient = (int)ex.StatusCode >= 500;
            throw new ExecutorException("EngineRequestFailed", ErrorKind.ResourceUnavailable,
                transient ? FailureKind.Transient : FailureKind.Permanent,
                $"The engine at {Endpoint} rejected a request: {DockerFailures.ApiMessage(ex)}", null, ex);
        }
        catch (Exception ex) when (DockerFailures.IsConnectionFailure(ex) && !cancellationToken.IsCancellationRequested)
        {
            throw DockerFailures.Unreachable(Endpoint, ex);
        }
    }

    private static ContainerStatus ToStatus(ContainerInspectResponse response)
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
            OomKilled = state.OOMKilled,
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
