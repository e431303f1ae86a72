using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using ContainerManager.Core.Jobs;
using ContainerManager.Core.Storage;
using Microsoft.Data.Sqlite;

namespace ContainerManager.Bench;

/// <summary>
/// Measures <see cref="SqliteJobStore.ClaimDueJobsAsync"/> on a store with many pending jobs
/// against the same claims on a store with few, plus the bare candidate SELECT on the large
/// store as a floor.
/// </summary>
/// <remarks>
/// Each store gets one job through <see cref="SqliteJobStore.CreateJobAsync"/>, and SQL copies
/// that row until the store contains the requested count: the public API writes an event per job
/// and would take minutes for 100,000 jobs. Claimed jobs are put back to Pending every
/// <see cref="ResetEvery"/> claims, outside the timed part, so both stores keep their size
/// while thousands of claims run against the small one.
/// </remarks>
internal static class ClaimBenchmark
{
    private const int ResetEvery = 50;

    // Far above any Launching count here, so the claim still runs its COUNT of active jobs,
    // as it does for a processor with -MaxConcurrentJobs, without ever being limited by it.
    private const int ActiveLimit = 1_000_000;

    public static async Task<JsonObject> RunAsync(BenchOptions options, CancellationToken cancellationToken)
    {
        if (options.Directory is null)
        {
            throw new ArgumentException("claims needs --dir, a folder for the two stores");
        }

        Directory.CreateDirectory(options.Directory);
        var fillWatch = Stopwatch.StartNew();
        var large = await CreateStoreAsync(options.Directory, options.LargeStoreJobs, cancellationToken)
            .ConfigureAwait(false);
        var fillSeconds = fillWatch.Elapsed.TotalSeconds;
        var small = await CreateStoreAsync(options.Directory, options.SmallStoreJobs, cancellationToken)
            .ConfigureAwait(false);

        var results = new JsonArray();
        foreach (var batch in options.Batches)
        {
            // An untimed round first, so JIT compilation and cold pages count against neither store.
            await MeasureClaimsAsync(small, batch, ResetEvery * 2, cancellationToken).ConfigureAwait(false);
            await MeasureClaimsAsync(large, batch, ResetEvery * 2, cancellationToken).ConfigureAwait(false);

            // The small store goes first and last, so a drift in machine load over the run
            // shows up as a difference between its two measurements.
            var smallFirst = await MeasureClaimsAsync(small, batch, options.Claims, cancellationToken).ConfigureAwait(false);
            var largeRate = await MeasureClaimsAsync(large, batch, options.Claims, cancellationToken).ConfigureAwait(false);
            var smallLast = await MeasureClaimsAsync(small, batch, options.Claims, cancellationToken).ConfigureAwait(false);
            var selectRate = await MeasureSelectAsync(large, batch, options.Claims, cancellationToken).ConfigureAwait(false);
            var smallRate = (smallFirst + smallLast) / 2;
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"batch {batch}: large {largeRate:F0}/s, small {smallFirst:F0} and {smallLast:F0}/s"));
            results.Add(new JsonObject
            {
                ["batch"] = batch,
                ["claims"] = options.Claims,
                ["largeClaimsPerSecond"] = Math.Round(largeRate, 1),
                ["smallClaimsPerSecondFirst"] = Math.Round(smallFirst, 1),
                ["smallClaimsPerSecondLast"] = Math.Round(smallLast, 1),
                ["ratioLargeToSmall"] = Math.Round(largeRate / smallRate, 3),
                ["selectOnlyJobsPerSecond"] = Math.Round(selectRate, 1),
            });
        }

        return new JsonObject
        {
            ["benchmark"] = "claims",
            ["largeStoreJobs"] = options.LargeStoreJobs,
            ["smallStoreJobs"] = options.SmallStoreJobs,
            ["largeStoreFillSeconds"] = Math.Round(fillSeconds, 2),
            ["resetEvery"] = ResetEvery,
            ["results"] = results,
        };
    }

    private static async Task<SqliteJobStore> CreateStoreAsync(string directory, int jobs, CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"claims-{jobs}.db"));
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(path + suffix);
        }

        var store = SqliteJobStore.Open(path);
        var template = await store.CreateJobAsync(
            new JobSpec { Image = "cmtest/busybox:1", Command = ["true"] }, cancellationToken).ConfigureAwait(false);

        await using var connection = await OpenAsync(path, cancellationToken).ConfigureAwait(false);
        using var fill = connection.CreateCommand();
        // Same due time for every copy, so the claim order falls back to the id, as it does
        // for a queue filled by one script.
        fill.CommandText = """
            WITH RECURSIVE copy(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM copy WHERE n < $copies)
            INSERT INTO jobs (name, image, command, environment, secret_keys, templates, memory_mib, cpus,
                timeout_seconds, status, priority, due_at, attempt, max_attempts, retry_exit_codes,
                created_at, created_by, created_on)
            SELECT name, image, command, environment, secret_keys, templates, memory_mib, cpus,
                timeout_seconds, status, priority, due_at, attempt, max_attempts, retry_exit_codes,
                created_at, created_by, created_on
            FROM jobs, copy WHERE jobs.id = $template
            """;
        fill.Parameters.AddWithValue("$copies", jobs - 1);
        fill.Parameters.AddWithValue("$template", template.Id);
        await fill.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return store;
    }

    // Returns claimed jobs per second of time spent inside ClaimDueJobsAsync.
    private static async Task<double> MeasureClaimsAsync(
        SqliteJobStore store,
        int batch,
        int claims,
        CancellationToken cancellationToken)
    {
        var owner = "bench:" + Guid.NewGuid().ToString("N")[..6];
        var timed = new Stopwatch();
        var claimed = 0;
        var sinceReset = 0;
        while (claimed < claims)
        {
            timed.Start();
            var jobs = await store.ClaimDueJobsAsync(owner, batch, ActiveLimit, TimeSpan.FromMinutes(5), cancellationToken)
                .ConfigureAwait(false);
            timed.Stop();
            if (jobs.Count == 0)
            {
                throw new InvalidOperationException($"The store {store.Location} ran out of pending jobs.");
            }

            claimed += jobs.Count;
            sinceReset += jobs.Count;
            if (sinceReset >= ResetEvery)
            {
                await ResetClaimedAsync(store.Location, cancellationToken).ConfigureAwait(false);
                sinceReset = 0;
            }
        }

        await ResetClaimedAsync(store.Location, cancellationToken).ConfigureAwait(false);
        return claimed / timed.Elapsed.TotalSeconds;
    }

    // Runs only the claim's candidate query, as SqliteJobStore words it, in autocommit: a floor
    // for what a claim costs.
    private static async Task<double> MeasureSelectAsync(
        SqliteJobStore store,
        int batch,
        int claims,
        CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(store.Location, cancellationToken).ConfigureAwait(false);
        using var select = connection.CreateCommand();
        select.CommandText = """
            SELECT id, status FROM jobs INDEXED BY jobs_due
            WHERE status IN ('Pending', 'Retrying') AND due_at <= $now
            ORDER BY priority DESC, due_at, id
            LIMIT $max
            """;
        var now = select.Parameters.Add("$now", SqliteType.Integer);
        select.Parameters.AddWithValue("$max", batch);
        var rows = 0;
        var watch = Stopwatch.StartNew();
        while (rows < claims)
        {
            now.Value = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                rows++;
            }
        }

        return rows / watch.Elapsed.TotalSeconds;
    }

    private static async Task ResetClaimedAsync(string path, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(path, cancellationToken).ConfigureAwait(false);
        using var reset = connection.CreateCommand();
        reset.CommandText = """
            UPDATE jobs SET status = 'Pending', lease_owner = NULL, lease_expires_at = NULL
            WHERE status = 'Launching'
            """;
        await reset.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<SqliteConnection> OpenAsync(string path, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWrite,
            DefaultTimeout = 30,
        }.ToString());
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }
}
