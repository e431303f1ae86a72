using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using ContainerManager.Core.Execution.Docker;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace ContainerManager.Bench;

/// <summary>
/// Baselines measured on the bare Docker Engine API, with the same client library the
/// module uses, so that the module's numbers can be given as ratios against the engine.
/// </summary>
internal static class EngineBenchmarks
{
    /// <summary>
    /// Runs <see cref="BenchOptions.Jobs"/> containers of 'true', <see cref="BenchOptions.Concurrency"/>
    /// at a time: create, start, wait, remove. The clock runs from the first create to the last
    /// remove.
    /// </summary>
    public static async Task<JsonObject> ThroughputAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        RequireImage(options);
        using var client = CreateClient();
        var next = 0;
        var watch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, options.Concurrency).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) <= options.Jobs)
            {
                var id = await CreateAsync(client, options.Image, cancellationToken).ConfigureAwait(false);
                await client.Containers.StartContainerAsync(id, new ContainerStartParameters(), cancellationToken)
                    .ConfigureAwait(false);
                await client.Containers.WaitContainerAsync(id, cancellationToken).ConfigureAwait(false);
                await client.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters(), cancellationToken)
                    .ConfigureAwait(false);
            }
        }, cancellationToken));
        await Task.WhenAll(workers).ConfigureAwait(false);
        watch.Stop();

        return new JsonObject
        {
            ["benchmark"] = "engine-throughput",
            ["jobs"] = options.Jobs,
            ["concurrency"] = options.Concurrency,
            ["seconds"] = Math.Round(watch.Elapsed.TotalSeconds, 3),
            ["jobsPerSecond"] = Math.Round(options.Jobs / watch.Elapsed.TotalSeconds, 2),
        };
    }

    /// <summary>
    /// Measures, one container at a time, the time from the create request to the start time
    /// the engine records (State.StartedAt). Engine and client share one clock here because
    /// both run on this machine.
    /// </summary>
    public static async Task<JsonObject> LatencyAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        RequireImage(options);
        using var client = CreateClient();

        // A warm-up run keeps one-time costs, such as the first connection, out of the samples.
        await RunOnceAsync(client, options.Image, cancellationToken).ConfigureAwait(false);

        var samples = new List<double>();
        for (var i = 0; i < options.Samples; i++)
        {
            samples.Add(await RunOnceAsync(client, options.Image, cancellationToken).ConfigureAwait(false));
            await Task.Delay(options.SpacingMilliseconds, cancellationToken).ConfigureAwait(false);
        }

        return new JsonObject
        {
            ["benchmark"] = "engine-latency",
            ["samples"] = samples.Count,
            ["p50Milliseconds"] = Math.Round(Percentile.Of(samples, 50), 1),
            ["p95Milliseconds"] = Math.Round(Percentile.Of(samples, 95), 1),
            ["rawMilliseconds"] = new JsonArray(samples.Select(s => (JsonNode)Math.Round(s, 1)).ToArray()),
        };
    }

    // Returns the milliseconds from before the create request to the engine's StartedAt.
    private static async Task<double> RunOnceAsync(DockerClient client, string image, CancellationToken cancellationToken)
    {
        var requested = DateTimeOffset.UtcNow;
        var id = await CreateAsync(client, image, cancellationToken).ConfigureAwait(false);
        await client.Containers.StartContainerAsync(id, new ContainerStartParameters(), cancellationToken)
            .ConfigureAwait(false);
        var inspect = await client.Containers.InspectContainerAsync(id, cancellationToken).ConfigureAwait(false);
        await client.Containers.WaitContainerAsync(id, cancellationToken).ConfigureAwait(false);
        await client.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters(), cancellationToken)
            .ConfigureAwait(false);
        return (ParseStartedAt(inspect.State?.StartedAt) - requested).TotalMilliseconds;
    }

    private static async Task<string> CreateAsync(DockerClient client, string image, CancellationToken cancellationToken)
    {
        var parameters = new CreateContainerParameters
        {
            Image = image,
            Cmd = ["true"],
            HostConfig = new HostConfig { NetworkMode = "none" },
        };
        var response = await client.Containers.CreateContainerAsync(parameters, cancellationToken).ConfigureAwait(false);
        return response.ID;
    }

    // Docker.DotNet types State.StartedAt as object, so it may arrive as a string or a DateTime.
    private static DateTimeOffset ParseStartedAt(object? value) => value switch
    {
        DateTime time => new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)),
        DateTimeOffset offset => offset,
        string text => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
        _ => throw new InvalidOperationException($"The engine returned no start time ('{value}')."),
    };

    private static DockerClient CreateClient() =>
        new DockerClientBuilder().WithEndpoint(DockerEndpoint.ResolveLocal()).Build();

    private static void RequireImage(BenchOptions options)
    {
        if (string.IsNullOrEmpty(options.Image))
        {
            throw new ArgumentException("the image is missing: pass --image or set CM_TEST_IMAGE");
        }
    }
}
