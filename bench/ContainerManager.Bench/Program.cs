using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ContainerManager.Bench;

/// <summary>
/// Entry point: runs one benchmark named by the first argument and prints its result as one
/// JSON object on stdout. Progress goes to stderr.
/// </summary>
internal static class Program
{
    private const string Usage = """
        usage: ContainerManager.Bench <command> [options]

        commands:
          engine-throughput  run --jobs containers of --image with command 'true', --concurrency at
                             a time, through the Docker Engine API (create, start, wait, remove)
          engine-latency     measure --samples create+start latencies through the Docker Engine API,
                             from the create request to the engine's State.StartedAt
          claims             measure ClaimDueJobsAsync on a store with --large pending jobs against
                             one with --small pending jobs, in a fresh folder under --dir

        options (defaults in brackets):
          --image IMAGE      image for the engine commands [$CM_TEST_IMAGE]
          --jobs N           containers for engine-throughput [200]
          --concurrency N    parallel workers for engine-throughput [4]
          --samples N        samples for engine-latency [30]
          --spacing-ms N     pause between engine-latency samples [300]
          --dir PATH         folder for the claims stores, created if missing (required for claims)
          --large N          pending jobs in the large store [100000]
          --small N          pending jobs in the small store [100]
          --claims N         claimed jobs per measurement [3000]
          --batches LIST     comma-separated claim batch sizes [1,10]

        The engine commands use $DOCKER_HOST (unix:///var/run/docker.sock when unset).
        """;

    private static async Task<int> Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help")
        {
            Console.Error.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        BenchOptions options;
        try
        {
            options = BenchOptions.Parse(args.AsSpan(1));
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            Console.Error.WriteLine(Usage);
            return 2;
        }

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        JsonObject result;
        try
        {
            Task<JsonObject>? run = args[0] switch
            {
                "engine-throughput" => EngineBenchmarks.ThroughputAsync(options, cancel.Token),
                "engine-latency" => EngineBenchmarks.LatencyAsync(options, cancel.Token),
                "claims" => ClaimBenchmark.RunAsync(options, cancel.Token),
                _ => null,
            };
            if (run is null)
            {
                Console.Error.WriteLine($"error: unknown command '{args[0]}'");
                Console.Error.WriteLine(Usage);
                return 2;
            }

            result = await run.ConfigureAwait(false);
        }
        catch (ArgumentException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return 2;
        }

        result["measuredAt"] = DateTimeOffset.UtcNow.ToString("o", CultureInfo.InvariantCulture);
        Console.WriteLine(result.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return 0;
    }
}
