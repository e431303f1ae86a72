using System.Globalization;
using System.Text;
using System.Text.Json;
using ContainerManager.Core.Errors;
using ContainerManager.Core.Jobs;
using ContainerManager.Core.Processing;
using ContainerManager.Core.Templates;
using Microsoft.Data.Sqlite;

namespace ContainerManager.Core.Storage;

/// <summary>
/// Job store in one SQLite file, shared safely by several processes on one machine: WAL
/// journal, a busy timeout instead of "database is locked" errors, and BEGIN IMMEDIATE
/// for every read-then-write sequence.
/// </summary>
public sealed class SqliteJobStore : IJobStore
{
    // Processes queue behind one writer; 30 s covers long claim batches on slow disks.
    private const int DefaultBusyTimeoutSeconds = 30;

    private const string JobColumns =
        "id, name, image, command, environment, secret_keys, templates, memory_mib, cpus, " +
        "timeout_seconds, status, priority, due_at, attempt, max_attempts, exit_code, oom_killed, " +
        "created_at, started_at, completed_at, container_id, host_name, error_message, created_by, " +
        "created_on, lease_owner, lease_expires_at, attempt_base, retry_exit_codes, target_host, host_labels, " +
        "interrupted_attempt, working_directory, container_user, network, labels, volumes, bind_mounts, privileged";

    private readonly string _connectionString;
    private readonly int _busyTimeoutSeconds;

    private SqliteJobStore(string path, string connectionString, string storeId, int busyTimeoutSeconds)
    {
        Location = path;
        _connectionString = connectionString;
        StoreId = storeId;
        _busyTimeoutSeconds = busyTimeoutSeconds;
    }

    /// <inheritdoc />
    public string StoreId { get; }

    /// <inheritdoc />
    public string Location { get; }

    /// <summary>Schema version of the store file: once opened, the latest version this module supports.</summary>
    public int SchemaVersion => SqliteSchema.LatestVersion;

    /// <summary>Connection string of the migrated file, for the stores that share it.</summary>
    internal string ConnectionString => _connectionString;

    /// <summary>
    /// Opens the store at <paramref name="path"/>, creating the file (readable by its owner
    /// only) and its folder if needed, and migrating the schema.
    /// </summary>
    /// <exception cref="ContainerManagerException">
    /// StoreUnavailable when the file cannot be created or opened, StoreReadOnly or StoreBusy
    /// when its schema cannot be migrated for those reasons; StoreSchemaTooNew when a newer
    /// module wrote it.
    /// </exception>
    public static SqliteJobStore Open(string path) => Open(path, DefaultBusyTimeoutSeconds);

    /// <summary>
    /// Opens the store like <see cref="Open(string)"/>; every command waits up to
    /// <paramref name="busyTimeoutSeconds"/> for another connection's write lock.
    /// </summary>
    internal static SqliteJobStore Open(string path, int busyTimeoutSeconds)
    {
        // Microsoft.Data.Sqlite reads a timeout of 0 as no limit.
        ArgumentOutOfRangeException.ThrowIfLessThan(busyTimeoutSeconds, 1);
        var fullPath = Path.GetFullPath(path);
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            ForeignKeys = true,
            DefaultTimeout = busyTimeoutSeconds,
            Pooling = true,
        }.ToString();
        try
        {
            CreateFileForOwner(fullPath);
            using var connection = OpenConnection(connectionString);
            using (var wal = connection.CreateCommand())
            {
                // WAL lets readers (Get-ContainerJob) run while a processor writes.
                wal.CommandText = "PRAGMA journal_mode = WAL";
                wal.ExecuteNonQuery();
            }

            SqliteSchema.Migrate(connection, fullPath);
            using var info = connection.CreateCommand();
            info.CommandText = "SELECT value FROM store_info WHERE key = 'store_id'";
            var storeId = (string)info.ExecuteScalar()!;
            return new SqliteJobStore(fullPath, connectionString, storeId, busyTimeoutSeconds);
        }
        catch (SqliteException ex)
        {
            throw SqliteStoreErrors.From(ex, fullPath, busyTimeoutSeconds);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new StoreException(
                "StoreUnavailable",
                ex is UnauthorizedAccessException ? ErrorKind.PermissionDenied : ErrorKind.ResourceUnavailable,
                $"The job store '{fullPath}' could not be opened: {ex.Message} Check that the folder " +
                "exists and is writable, or give another path with -Database or $env:CONTAINER_MANAGER_DB.",
                fullPath,
                ex);
        }
    }

    /// <summary>
    /// Returns the <see cref="StoreException"/> for a failure of a call to this store: the
    /// exception itself when it is one, StoreReadOnly, StoreBusy or StoreUnavailable for an
    /// SQLite failure, and null for any other exception.
    /// </summary>
    /// <remarks>
    /// The store methods let SQLite failures of their commands pass, so a caller that reports
    /// errors to a user converts them here.
    /// </remarks>
    public StoreException? ToStoreException(Exception exception) => exception switch
    {
        StoreException store => store,
        SqliteException sqlite => SqliteStoreErrors.From(sqlite, Location, _busyTimeoutSeconds),
        _ => null,
    };

    /// <inheritdoc />
    /// <remarks>
    /// Every commit appends to the write-ahead log file, so a watch on that file (and on
    /// the store file, which checkpoints write) receives writes from every process. Readers
    /// touch only the shared-memory file, which is mapped and raises no events.
    /// </remarks>
    public IDisposable? WatchForChanges(Action changed, out string? unavailableReason)
    {
        ArgumentNullException.ThrowIfNull(changed);
        FileSystemWatcher? watcher = null;
        try
        {
            var name = Path.GetFileName(Location);
            watcher = new FileSystemWatcher(Path.GetDirectoryName(Location)!)
            {
                NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.FileName,
            };
            watcher.Filters.Add(name);
            watcher.Filters.Add(name + "-wal");
            watcher.Changed += (_, _) => changed();
            watcher.Created += (_, _) => changed();
            // An overflow of the event buffer means changes were missed, so it counts as one.
            watcher.Error += (_, _) => changed();
            watcher.EnableRaisingEvents = true;
            unavailableReason = null;
            return watcher;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or PlatformNotSupportedException
                                       or UnauthorizedAccessException)
        {
            // On Linux this is usually the per-user limit on inotify instances.
            watcher?.Dispose();
            unavailableReason = ex.Message;
            return null;
        }
    }

    /// <inheritdoc />
    public async Task<ContainerJob> CreateJobAsync(JobSpec spec, CancellationToken cancellationToken)
    {
        spec.Validate();

        var now = DateTimeOffset.UtcNow;
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection
            .BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO jobs (name, image, command, environment, secret_keys, templates,
                memory_mib, cpus, timeout_seconds, status, priority, due_at, attempt,
                max_attempts, retry_exit_codes, target_host, host_labels, created_at, created_by, created_on,
                working_directory, container_user, network, labels, volumes, bind_mounts, privileged)
            VALUES ($name, $image, $command, $environment, $secretKeys, $templates,
                $memory, $cpus, $timeout, $status, $priority, $dueAt, 0,
                $maxAttempts, $retryExitCodes, $targetHost, $hostLabels, $now, $user, $machine,
                $workingDirectory, $containerUser, $network, $labels, $volumes, $bindMounts, $privileged)
            RETURNING id
            """;
        insert.Parameters.AddWithValue("$name", spec.Name ?? DefaultName(spec.Image));
        insert.Parameters.AddWithValue("$image", spec.Image);
        insert.Parameters.AddWithValue("$command", JsonSerializer.Serialize(spec.Command));
        insert.Parameters.AddWithValue("$environment", JsonSerializer.Serialize(spec.Environment));
        insert.Parameters.AddWithValue("$secretKeys", JsonSerializer.Serialize(spec.SecretKeys));
        insert.Parameters.AddWithValue("$templates", JsonSerializer.Serialize(spec.EnvironmentTemplates));
        insert.Parameters.AddWithValue("$memory", (object?)spec.MemoryMiB ?? DBNull.Value);
        insert.Parameters.AddWithValue("$cpus", (object?)spec.Cpus ?? DBNull.Value);
        insert.Parameters.AddWithValue("$timeout", (object?)spec.TimeoutSeconds ?? DBNull.Value);
        insert.Parameters.AddWithValue("$status", nameof(JobStatus.Pending));
        insert.Parameters.AddWithValue("$priority", spec.Priority);
        insert.Parameters.AddWithValue("$dueAt", (spec.DueAt ?? now).ToUnixTimeMilliseconds());
        insert.Parameters.AddWithValue("$maxAttempts", spec.MaxAttempts);
        insert.Parameters.AddWithValue("$retryExitCodes", JsonSerializer.Serialize(spec.RetryExitCodes));
        insert.Parameters.AddWithValue("$targetHost", (object?)spec.TargetHost ?? DBNull.Value);
        insert.Parameters.AddWithValue("$hostLabels", JsonSerializer.Serialize(spec.HostLabels));
        AddContainerOptions(insert, spec);
        insert.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        insert.Parameters.AddWithValue("$user", System.Environment.UserName);
        insert.Parameters.AddWithValue("$machine", System.Environment.MachineName);
        var id = (long)(await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        await InsertEventAsync(connection, transaction, id, "Created",
            $"queued by {System.Environment.UserName} on {System.Environment.MachineName}",
            cancellationToken).ConfigureAwait(false);
        var job = await ReadJobAsync(connection, transaction, id, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return job!;
    }

    /// <inheritdoc />
    public async Task<ContainerJob?> GetJobAsync(long id, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadJobAsync(connection, null, id, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ContainerJob>> ListJobsAsync(
        JobQuery query,
        CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        var where = new List<string>();
        if (query.Statuses.Count > 0)
        {
            var names = new List<string>();
            var index = 0;
            foreach (var status in query.Statuses.Distinct())
            {
                names.Add($"$s{index}");
                command.Parameters.AddWithValue($"$s{index}", status.ToString());
                index++;
            }

            where.Add($"status IN ({string.Join(", ", names)})");
        }

        if (!string.IsNullOrEmpty(query.NamePattern))
        {
            where.Add("name LIKE $name ESCAPE '\\'");
            command.Parameters.AddWithValue("$name", WildcardToLike(query.NamePattern));
        }

        var sql = new StringBuilder($"SELECT {JobColumns} FROM jobs");
        if (where.Count > 0)
        {
            sql.Append(" WHERE ").AppendJoin(" AND ", where);
        }

        sql.Append(" ORDER BY id DESC");
        if (query.Limit is { } limit)
        {
            sql.Append(" LIMIT $limit");
            command.Parameters.AddWithValue("$limit", limit);
        }

        command.CommandText = sql.ToString();
        return await ReadJobsAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ContainerJob>> ClaimDueJobsAsync(
        string owner,
        int maxJobs,
        int? activeLimit,
        TimeSpan leaseDuration,
        CancellationToken cancellationToken)
    {
        if (maxJobs <= 0)
        {
            return [];
        }

        var now = DateTimeOffset.UtcNow;
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        // BEGIN IMMEDIATE takes the write lock before the SELECT, so two processors
        // cannot both read the same due job as claimable.
        await using var transaction = (SqliteTransaction)await connection
            .BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (activeLimit is { } limit)
        {
            // Counted inside the write transaction, so processors claiming at the same time
            // cannot together exceed the limit.
            using var count = connection.CreateCommand();
            count.Transaction = transaction;
            count.CommandText = "SELECT COUNT(*) FROM jobs WHERE status IN ('Launching', 'Running')";
            var active = Convert.ToInt32(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false),
                CultureInfo.InvariantCulture);
            maxJobs = Math.Min(maxJobs, limit - active);
            if (maxJobs <= 0)
            {
                return [];
            }
        }

        var candidates = new List<(long Id, string Status)>();
        using (var select = connection.CreateCommand())
        {
            select.Transaction = transaction;
            // Without statistics SQLite prefers the jobs_status index here and sorts every
            // queued row: about 30 ms per claim at 100,000 Pending jobs on 2 cores (bench/run.sh).
            // The partial jobs_due index is in claim order, so the claim reads only its first rows.
            select.CommandText = """
                SELECT id, status FROM jobs INDEXED BY jobs_due
                WHERE status IN ('Pending', 'Retrying') AND due_at <= $now
                ORDER BY priority DESC, due_at, id
                LIMIT $max
                """;
            select.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            select.Parameters.AddWithValue("$max", maxJobs);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                candidates.Add((reader.GetInt64(0), reader.GetString(1)));
            }
        }

        var claimed = new List<ContainerJob>();
        foreach (var (id, status) in candidates)
        {
            using var update = connection.CreateCommand();
            update.Transaction = transaction;
            update.CommandText = """
                UPDATE jobs SET status = 'Launching', attempt = attempt + 1,
                    lease_owner = $owner, lease_expires_at = $expires,
                    exit_code = NULL, oom_killed = 0, container_id = NULL,
                    started_at = NULL, completed_at = NULL, error_message = NULL
                WHERE id = $id AND status = $status
                """;
            update.Parameters.AddWithValue("$owner", owner);
            update.Parameters.AddWithValue("$expires", (now + leaseDuration).ToUnixTimeMilliseconds());
            update.Parameters.AddWithValue("$id", id);
            update.Parameters.AddWithValue("$status", status);
            if (await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1)
            {
                continue;
            }

            await InsertEventAsync(connection, transaction, id, "Claimed", $"claimed by processor {owner}",
                cancellationToken).ConfigureAwait(false);
            await SaveAttemptAsync(connection, transaction, id, cancellationToken).ConfigureAwait(false);
            claimed.Add((await ReadJobAsync(connection, transaction, id, cancellationToken).ConfigureAwait(false))!);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return claimed;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ContainerJob>> PeekDueJobsAsync(int maxJobs, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        // The partial index is forced for the same reason as in ClaimDueJobsAsync: without
        // statistics SQLite would sort every queued row.
        command.CommandText = $"""
            SELECT {JobColumns} FROM jobs INDEXED BY jobs_due
            WHERE status IN ('Pending', 'Retrying') AND due_at <= $now
            ORDER BY priority DESC, due_at, id
            LIMIT $max
            """;
        command.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$max", maxJobs);
        return await ReadJobsAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ContainerJob>> ClaimPlacedJobsAsync(
        string owner,
        IReadOnlyList<JobPlacement> placements,
        int activeLimit,
        TimeSpan leaseDuration,
        CancellationToken cancellationToken)
    {
        if (placements.Count == 0)
        {
            return [];
        }

        var now = DateTimeOffset.UtcNow;
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        // The counts are read inside the write transaction, so processors claiming at the
        // same time cannot together exceed a host's limit or the store's.
        await using var transaction = (SqliteTransaction)await connection
            .BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var active = await CountActiveAsync(connection, transaction, null, cancellationToken).ConfigureAwait(false);
        var perHost = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var claimed = new List<ContainerJob>();
        foreach (var placement in placements)
        {
            if (active >= activeLimit)
            {
                break;
            }

            if (!perHost.TryGetValue(placement.HostName, out var onHost))
            {
                onHost = await CountActiveAsync(connection, transaction, placement.HostName, cancellationToken)
                    .ConfigureAwait(false);
            }

            if (onHost >= placement.HostLimit)
            {
                perHost[placement.HostName] = onHost;
                continue;
            }

            using var update = connection.CreateCommand();
            update.Transaction = transaction;
            update.CommandText = """
                UPDATE jobs SET status = 'Launching', attempt = attempt + 1, host_name = $host,
                    lease_owner = $owner, lease_expires_at = $expires,
                    exit_code = NULL, oom_killed = 0, container_id = NULL,
                    started_at = NULL, completed_at = NULL, error_message = NULL
                WHERE id = $id AND status IN ('Pending', 'Retrying') AND due_at <= $now
                """;
            update.Parameters.AddWithValue("$host", placement.HostName);
            update.Parameters.AddWithValue("$owner", owner);
            update.Parameters.AddWithValue("$expires", (now + leaseDuration).ToUnixTimeMilliseconds());
            update.Parameters.AddWithValue("$id", placement.JobId);
            update.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            if (await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1)
            {
                continue;
            }

            active++;
            perHost[placement.HostName] = onHost + 1;
            await InsertEventAsync(connection, transaction, placement.JobId, "Claimed",
                $"claimed by processor {owner} for host {placement.HostName}", cancellationToken).ConfigureAwait(false);
            await SaveAttemptAsync(connection, transaction, placement.JobId, cancellationToken).ConfigureAwait(false);
            claimed.Add((await ReadJobAsync(connection, transaction, placement.JobId, cancellationToken)
                .ConfigureAwait(false))!);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return claimed;
    }

    private static async Task<int> CountActiveAsync(
        SqliteConnection connection,
        SqliteTransaction transaction,
        string? hostName,
        CancellationToken cancellationToken)
    {
        using var count = connection.CreateCommand();
        count.Transaction = transaction;
        count.CommandText = hostName is null
            ? "SELECT COUNT(*) FROM jobs WHERE status IN ('Launching', 'Running')"
            : "SELECT COUNT(*) FROM jobs WHERE status IN ('Launching', 'Running') AND host_name = $host COLLATE NOCASE";
        if (hostName is not null)
        {
            count.Parameters.AddWithValue("$host", hostName);
        }

        return Convert.ToInt32(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false),
            CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public async Task<bool> TryTransitionAsync(
        long id,
        JobStatus expected,
        JobStatus next,
        JobChanges changes,
        CancellationToken cancellationToken)
    {
        if (expected != next && !JobTransitions.IsAllowed(expected, next))
        {
            throw new ContainerManagerException(
                "InvalidStatusTransition",
                ErrorKind.InvalidOperation,
                $"Job {id} cannot move from {expected} to {next}. From {expected} it may move to: " +
                $"{string.Join(", ", JobTransitions.AllowedFrom(expected))}.",
                id);
        }

        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection
            .BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        var sets = new List<string> { "status = $next" };
        command.Parameters.AddWithValue("$next", next.ToString());
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$expected", expected.ToString());
        AddChanges(command, sets, changes);
        command.CommandText =
            $"UPDATE jobs SET {string.Join(", ", sets)} WHERE id = $id AND status = $expected";
        if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1)
        {
            return false;
        }

        // Only a Launching or Running job has an attempt in progress. A queued job's attempt
        // number belongs to an attempt that has ended (or is 0), and cancelling the job must
        // not overwrite that attempt's record. A restart starts its new attempt at the claim.
        if (expected is not (JobStatus.Pending or JobStatus.Retrying) && next != JobStatus.Pending)
        {
            await SaveAttemptAsync(connection, transaction, id, cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyDictionary<string, int>> CountActiveJobsByHostAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT host_name, COUNT(*) FROM jobs
            WHERE status IN ('Launching', 'Running') AND host_name IS NOT NULL
            GROUP BY host_name COLLATE NOCASE
            """;
        var counts = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            counts[reader.GetString(0)] = reader.GetInt32(1);
        }

        return counts;
    }

    /// <inheritdoc />
    public async Task<int> CountJobsAsync(IReadOnlyCollection<JobStatus> statuses, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        var names = statuses.Select((status, index) =>
        {
            command.Parameters.AddWithValue($"$s{index}", status.ToString());
            return $"$s{index}";
        }).ToList();
        command.CommandText = $"SELECT COUNT(*) FROM jobs WHERE status IN ({string.Join(", ", names)})";
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false),
            CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<JobAttempt>> GetAttemptsAsync(long jobId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT job_id, attempt, status, host_name, container_id, processor_id, started_at,
                completed_at, exit_code, oom_killed, error_message
            FROM job_attempts WHERE job_id = $job ORDER BY attempt
            """;
        command.Parameters.AddWithValue("$job", jobId);
        var attempts = new List<JobAttempt>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            attempts.Add(new JobAttempt
            {
                JobId = reader.GetInt64(0),
                Attempt = reader.GetInt32(1),
                Status = Enum.Parse<JobStatus>(reader.GetString(2)),
                HostName = reader.IsDBNull(3) ? null : reader.GetString(3),
                ContainerId = reader.IsDBNull(4) ? null : reader.GetString(4),
                ProcessorId = reader.IsDBNull(5) ? null : reader.GetString(5),
                StartedAt = reader.IsDBNull(6) ? null : FromMilliseconds(reader.GetInt64(6)),
                CompletedAt = reader.IsDBNull(7) ? null : FromMilliseconds(reader.GetInt64(7)),
                ExitCode = reader.IsDBNull(8) ? null : reader.GetInt32(8),
                OomKilled = reader.GetInt64(9) != 0,
                ErrorMessage = reader.IsDBNull(10) ? null : reader.GetString(10),
            });
        }

        return attempts;
    }

    /// <inheritdoc />
    public async Task<int> RenewLeasesAsync(string owner, TimeSpan leaseDuration, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = """
            UPDATE jobs SET lease_expires_at = $expires
            WHERE lease_owner = $owner AND status IN ('Launching', 'Running')
            """;
        command.Parameters.AddWithValue("$owner", owner);
        command.Parameters.AddWithValue("$expires", (DateTimeOffset.UtcNow + leaseDuration).ToUnixTimeMilliseconds());
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ContainerJob>> TakeOverExpiredLeasesAsync(
        string owner,
        TimeSpan leaseDuration,
        CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        // Nearly every pass finds no lapsed lease, and a plain read finds that without the
        // write lock. A pass woken by another process's commit would otherwise wait for that
        // writer's lock, and the driver's busy retry added about 150 ms per launch in the
        // dispatch latency benchmark.
        using (var probe = connection.CreateCommand())
        {
            probe.CommandText = """
                SELECT EXISTS (SELECT 1 FROM jobs
                    WHERE status IN ('Launching', 'Running')
                      AND (lease_expires_at IS NULL OR lease_expires_at < $now))
                """;
            probe.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            if (Convert.ToInt64(await probe.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false),
                    CultureInfo.InvariantCulture) == 0)
            {
                return [];
            }
        }

        await using var transaction = (SqliteTransaction)await connection
            .BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var expired = new List<(long Id, string? Owner)>();
        using (var select = connection.CreateCommand())
        {
            select.Transaction = transaction;
            select.CommandText = """
                SELECT id, lease_owner FROM jobs
                WHERE status IN ('Launching', 'Running')
                  AND (lease_expires_at IS NULL OR lease_expires_at < $now)
                ORDER BY id
                """;
            select.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            await using var reader = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                expired.Add((reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetString(1)));
            }
        }

        var taken = new List<ContainerJob>();
        foreach (var (id, previousOwner) in expired)
        {
            using var update = connection.CreateCommand();
            update.Transaction = transaction;
            update.CommandText = """
                UPDATE jobs SET lease_owner = $owner, lease_expires_at = $expires
                WHERE id = $id AND status IN ('Launching', 'Running')
                  AND (lease_expires_at IS NULL OR lease_expires_at < $now)
                """;
            update.Parameters.AddWithValue("$owner", owner);
            update.Parameters.AddWithValue("$expires", (now + leaseDuration).ToUnixTimeMilliseconds());
            update.Parameters.AddWithValue("$id", id);
            update.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            if (await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1)
            {
                continue;
            }

            await InsertEventAsync(connection, transaction, id, "Adopted",
                $"lease of processor {previousOwner ?? "(none)"} expired; taken over by processor {owner}",
                cancellationToken).ConfigureAwait(false);
            taken.Add((await ReadJobAsync(connection, transaction, id, cancellationToken).ConfigureAwait(false))!);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return taken;
    }

    /// <inheritdoc />
    public async Task<ContainerJob?> UpdateQueuedJobAsync(long id, JobUpdate update, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection
            .BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var job = await ReadJobAsync(connection, transaction, id, cancellationToken).ConfigureAwait(false);
        if (job is null || job.Status is not (JobStatus.Pending or JobStatus.Retrying))
        {
            return job;
        }

        var merged = new JobSpec
        {
            Name = update.Name ?? job.Name,
            Image = update.Image ?? job.Image,
            Command = update.Command ?? job.CommandValues,
            MemoryMiB = update.MemoryMiB ?? job.MemoryMiB,
            Cpus = update.Cpus ?? job.Cpus,
            TimeoutSeconds = update.TimeoutSeconds ?? job.TimeoutSeconds,
            Priority = update.Priority ?? job.Priority,
            DueAt = update.DueAt ?? job.DueAt,
            MaxAttempts = update.MaxAttempts ?? job.MaxAttempts,
            RetryExitCodes = update.RetryExitCodes ?? job.RetryExitCodes,
            WorkingDirectory = update.WorkingDirectory ?? job.WorkingDirectory,
            User = update.User ?? job.User,
            Network = update.Network ?? job.Network,
            Labels = update.Labels ?? job.Labels,
            Volumes = update.Volumes ?? job.Volumes,
            BindMounts = update.BindMounts ?? job.BindMounts,
            Privileged = update.Privileged ?? job.Privileged,
        };
        merged.Validate();

        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            UPDATE jobs SET name = $name, image = $image, command = $command, memory_mib = $memory,
                cpus = $cpus, timeout_seconds = $timeout, priority = $priority, due_at = $dueAt,
                max_attempts = $maxAttempts, retry_exit_codes = $retryExitCodes,
                working_directory = $workingDirectory, container_user = $containerUser, network = $network,
                labels = $labels, volumes = $volumes, bind_mounts = $bindMounts, privileged = $privileged
            WHERE id = $id AND status = $status
            """;
        command.Parameters.AddWithValue("$name", merged.Name);
        command.Parameters.AddWithValue("$image", merged.Image);
        command.Parameters.AddWithValue("$command", JsonSerializer.Serialize(merged.Command));
        command.Parameters.AddWithValue("$memory", (object?)merged.MemoryMiB ?? DBNull.Value);
        command.Parameters.AddWithValue("$cpus", (object?)merged.Cpus ?? DBNull.Value);
        command.Parameters.AddWithValue("$timeout", (object?)merged.TimeoutSeconds ?? DBNull.Value);
        command.Parameters.AddWithValue("$priority", merged.Priority);
        command.Parameters.AddWithValue("$dueAt", merged.DueAt!.Value.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$maxAttempts", merged.MaxAttempts);
        command.Parameters.AddWithValue("$retryExitCodes", JsonSerializer.Serialize(merged.RetryExitCodes));
        AddContainerOptions(command, merged);
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$status", job.Status.ToString());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await InsertEventAsync(connection, transaction, id, "Changed", "settings changed while queued",
            cancellationToken).ConfigureAwait(false);
        var changed = await ReadJobAsync(connection, transaction, id, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return changed;
    }

    /// <inheritdoc />
    public async Task<bool> MarkInterruptedAsync(long id, int attempt, string reason, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection
            .BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            UPDATE jobs SET interrupted_attempt = $attempt
            WHERE id = $id AND attempt = $attempt AND status = 'Running'
              AND (interrupted_attempt IS NULL OR interrupted_attempt <> $attempt)
            """;
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$attempt", attempt);
        if (await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) != 1)
        {
            return false;
        }

        await InsertEventAsync(connection, transaction, id, "EngineLost", reason, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc />
    public async Task<bool> DeleteJobAsync(long id, JobStatus expected, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM jobs WHERE id = $id AND status = $expected";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$expected", expected.ToString());
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <inheritdoc />
    public async Task RecordHeartbeatAsync(ProcessorInfo processor, bool stopped, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO processors (id, machine, process_id, mode, started_at, heartbeat_at, stopped_at, last_error)
            VALUES ($id, $machine, $pid, $mode, $started, $now, $stopped, $error)
            ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at, stopped_at = excluded.stopped_at,
                last_error = excluded.last_error
            """;
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        command.Parameters.AddWithValue("$id", processor.Id);
        command.Parameters.AddWithValue("$machine", processor.Machine);
        command.Parameters.AddWithValue("$pid", processor.ProcessId);
        command.Parameters.AddWithValue("$mode", processor.Mode);
        command.Parameters.AddWithValue("$started", processor.StartedAt.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$now", now);
        command.Parameters.AddWithValue("$stopped", stopped ? now : DBNull.Value);
        command.Parameters.AddWithValue("$error", (object?)processor.LastError ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ProcessorInfo>> ListProcessorsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT id, machine, process_id, mode, started_at, heartbeat_at, stopped_at, last_error
            FROM processors ORDER BY heartbeat_at DESC LIMIT 100
            """;
        var processors = new List<ProcessorInfo>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            processors.Add(new ProcessorInfo
            {
                Id = reader.GetString(0),
                Machine = reader.GetString(1),
                ProcessId = reader.GetInt32(2),
                Mode = reader.GetString(3),
                StartedAt = FromMilliseconds(reader.GetInt64(4)),
                HeartbeatAt = FromMilliseconds(reader.GetInt64(5)),
                StoppedAt = reader.IsDBNull(6) ? null : FromMilliseconds(reader.GetInt64(6)),
                LastError = reader.IsDBNull(7) ? null : reader.GetString(7),
            });
        }

        return processors;
    }

    private static async Task SaveAttemptAsync(
        SqliteConnection connection,
        SqliteTransaction transaction,
        long id,
        CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO job_attempts (job_id, attempt, status, host_name, container_id, processor_id,
                started_at, completed_at, exit_code, oom_killed, error_message)
            SELECT id, attempt, status, host_name, container_id, lease_owner, started_at, completed_at,
                exit_code, oom_killed, error_message
            FROM jobs WHERE id = $id AND attempt > 0
            ON CONFLICT (job_id, attempt) DO UPDATE SET
                status = excluded.status,
                host_name = excluded.host_name,
                container_id = excluded.container_id,
                processor_id = COALESCE(excluded.processor_id, job_attempts.processor_id),
                started_at = excluded.started_at,
                completed_at = excluded.completed_at,
                exit_code = excluded.exit_code,
                oom_killed = excluded.oom_killed,
                error_message = excluded.error_message
            """;
        command.Parameters.AddWithValue("$id", id);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task SaveLogsAsync(IReadOnlyList<JobLog> logs, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection
            .BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var log in logs)
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = """
                INSERT OR REPLACE INTO job_logs (job_id, attempt, stream, content, total_bytes, dropped_bytes)
                VALUES ($job, $attempt, $stream, $content, $total, $dropped)
                """;
            command.Parameters.AddWithValue("$job", log.JobId);
            command.Parameters.AddWithValue("$attempt", log.Attempt);
            command.Parameters.AddWithValue("$stream", log.Stream.ToString());
            command.Parameters.AddWithValue("$content", log.Text);
            command.Parameters.AddWithValue("$total", log.TotalBytes);
            command.Parameters.AddWithValue("$dropped", log.DroppedBytes);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<JobLog>> GetLogsAsync(
        long jobId,
        int? attempt,
        CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT job_id, attempt, stream, content, total_bytes, dropped_bytes FROM job_logs
            WHERE job_id = $job
              AND attempt = COALESCE($attempt, (SELECT MAX(attempt) FROM job_logs WHERE job_id = $job))
            ORDER BY stream DESC
            """;
        command.Parameters.AddWithValue("$job", jobId);
        command.Parameters.AddWithValue("$attempt", (object?)attempt ?? DBNull.Value);
        var logs = new List<JobLog>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            logs.Add(new JobLog(
                reader.GetInt64(0),
                reader.GetInt32(1),
                Enum.Parse<LogStream>(reader.GetString(2)),
                reader.GetString(3),
                reader.GetInt64(4),
                reader.GetInt64(5)));
        }

        return logs;
    }

    /// <inheritdoc />
    public async Task AddEventAsync(long jobId, string kind, string message, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await InsertEventAsync(connection, null, jobId, kind, message, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<JobEvent>> GetEventsAsync(long jobId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText =
            "SELECT job_id, time, kind, message, actor FROM job_events WHERE job_id = $job ORDER BY id";
        command.Parameters.AddWithValue("$job", jobId);
        var events = new List<JobEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            events.Add(new JobEvent(
                reader.GetInt64(0),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
                reader.GetString(2),
                reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4)));
        }

        return events;
    }

    private static void CreateFileForOwner(string path)
    {
        var folder = Path.GetDirectoryName(path)!;
        if (!Directory.Exists(folder))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(folder);
            }
            else
            {
                Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        if (File.Exists(path) || OperatingSystem.IsWindows())
        {
            return;
        }

        // Job environments can hold secrets, so the file starts readable by its owner
        // only; SQLite would otherwise create it with the process umask.
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        try
        {
            using var _ = new FileStream(path, options);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process created it between the check and the create.
        }
    }

    private static SqliteConnection OpenConnection(string connectionString)
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        return connection;
    }

    internal Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken) =>
        SqliteConnections.OpenAsync(_connectionString, Location, cancellationToken);

    private static async Task InsertEventAsync(
        SqliteConnection connection,
        SqliteTransaction? transaction,
        long jobId,
        string kind,
        string message,
        CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText =
            "INSERT INTO job_events (job_id, time, kind, message, actor) VALUES ($job, $time, $kind, $message, $actor)";
        command.Parameters.AddWithValue("$job", jobId);
        command.Parameters.AddWithValue("$time", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$kind", kind);
        command.Parameters.AddWithValue("$message", message);
        command.Parameters.AddWithValue("$actor", $"{System.Environment.UserName}@{System.Environment.MachineName}");
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<ContainerJob?> ReadJobAsync(
        SqliteConnection connection,
        SqliteTransaction? transaction,
        long id,
        CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT {JobColumns} FROM jobs WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        var jobs = await ReadJobsAsync(command, cancellationToken).ConfigureAwait(false);
        return jobs.Count == 0 ? null : jobs[0];
    }

    private static async Task<IReadOnlyList<ContainerJob>> ReadJobsAsync(
        SqliteCommand command,
        CancellationToken cancellationToken)
    {
        var jobs = new List<ContainerJob>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            jobs.Add(MapJob(reader));
        }

        return jobs;
    }

    private static ContainerJob MapJob(SqliteDataReader reader)
    {
        var environment = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(4))!;
        var secretKeys = JsonSerializer.Deserialize<string[]>(reader.GetString(5))!;
        return new ContainerJob
        {
            Id = reader.GetInt64(0),
            Name = reader.GetString(1),
            Image = reader.GetString(2),
            Command = JsonSerializer.Deserialize<string[]>(reader.GetString(3))!,
            EnvironmentValues = environment,
            Environment = SecretMask.MaskAll(environment, secretKeys),
            EnvironmentTemplates = JsonSerializer.Deserialize<string[]>(reader.GetString(6))!,
            MemoryMiB = reader.IsDBNull(7) ? null : reader.GetInt32(7),
            Cpus = reader.IsDBNull(8) ? null : reader.GetDouble(8),
            TimeoutSeconds = reader.IsDBNull(9) ? null : reader.GetInt32(9),
            Status = Enum.Parse<JobStatus>(reader.GetString(10)),
            Priority = reader.GetInt32(11),
            DueAt = FromMilliseconds(reader.GetInt64(12)),
            Attempt = reader.GetInt32(13),
            MaxAttempts = reader.GetInt32(14),
            ExitCode = reader.IsDBNull(15) ? null : reader.GetInt32(15),
            OomKilled = reader.GetInt64(16) != 0,
            CreatedAt = FromMilliseconds(reader.GetInt64(17)),
            StartedAt = reader.IsDBNull(18) ? null : FromMilliseconds(reader.GetInt64(18)),
            CompletedAt = reader.IsDBNull(19) ? null : FromMilliseconds(reader.GetInt64(19)),
            ContainerId = reader.IsDBNull(20) ? null : reader.GetString(20),
            HostName = reader.IsDBNull(21) ? null : reader.GetString(21),
            ErrorMessage = reader.IsDBNull(22) ? null : reader.GetString(22),
            CreatedBy = reader.IsDBNull(23) ? null : reader.GetString(23),
            CreatedOn = reader.IsDBNull(24) ? null : reader.GetString(24),
            LeaseOwner = reader.IsDBNull(25) ? null : reader.GetString(25),
            LeaseExpiresAt = reader.IsDBNull(26) ? null : FromMilliseconds(reader.GetInt64(26)),
            AttemptBase = reader.GetInt32(27),
            RetryExitCodes = JsonSerializer.Deserialize<int[]>(reader.GetString(28))!,
            TargetHost = reader.IsDBNull(29) ? null : reader.GetString(29),
            HostLabels = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(30))!,
            InterruptedAttempt = reader.IsDBNull(31) ? null : reader.GetInt32(31),
            WorkingDirectory = reader.IsDBNull(32) ? null : reader.GetString(32),
            User = reader.IsDBNull(33) ? null : reader.GetString(33),
            Network = reader.IsDBNull(34) ? null : reader.GetString(34),
            Labels = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(35))!,
            Volumes = JsonSerializer.Deserialize<string[]>(reader.GetString(36))!,
            BindMounts = JsonSerializer.Deserialize<string[]>(reader.GetString(37))!,
            Privileged = reader.GetInt64(38) != 0,
        };
    }

    private static void AddContainerOptions(SqliteCommand command, JobSpec spec)
    {
        command.Parameters.AddWithValue("$workingDirectory", (object?)spec.WorkingDirectory ?? DBNull.Value);
        command.Parameters.AddWithValue("$containerUser", (object?)spec.User ?? DBNull.Value);
        command.Parameters.AddWithValue("$network", (object?)spec.Network ?? DBNull.Value);
        command.Parameters.AddWithValue("$labels", JsonSerializer.Serialize(spec.Labels));
        command.Parameters.AddWithValue("$volumes", JsonSerializer.Serialize(spec.Volumes));
        command.Parameters.AddWithValue("$bindMounts", JsonSerializer.Serialize(spec.BindMounts));
        command.Parameters.AddWithValue("$privileged", spec.Privileged ? 1 : 0);
    }

    private static void AddChanges(SqliteCommand command, List<string> sets, JobChanges changes)
    {
        void Set(string column, object? value)
        {
            sets.Add($"{column} = ${column}");
            command.Parameters.AddWithValue($"${column}", value ?? DBNull.Value);
        }

        if (changes.ClearOutcome)
        {
            Set("exit_code", null);
            Set("oom_killed", 0);
            Set("container_id", null);
            Set("started_at", null);
            Set("completed_at", null);
        }

        if (changes.ClearLease)
        {
            Set("lease_owner", null);
            Set("lease_expires_at", null);
        }

        if (changes.ClearError)
        {
            Set("error_message", null);
        }

        if (changes.Attempt is { } attempt) Set("attempt", attempt);
        if (changes.AttemptBase is { } attemptBase) Set("attempt_base", attemptBase);
        if (changes.ContainerId is { } containerId) Set("container_id", containerId);
        if (changes.HostName is { } hostName) Set("host_name", hostName);
        if (changes.StartedAt is { } startedAt) Set("started_at", startedAt.ToUnixTimeMilliseconds());
        if (changes.CompletedAt is { } completedAt) Set("completed_at", completedAt.ToUnixTimeMilliseconds());
        if (changes.ExitCode is { } exitCode) Set("exit_code", exitCode);
        if (changes.OomKilled is { } oomKilled) Set("oom_killed", oomKilled ? 1 : 0);
        if (changes.ErrorMessage is { } errorMessage) Set("error_message", errorMessage);
        if (changes.DueAt is { } dueAt) Set("due_at", dueAt.ToUnixTimeMilliseconds());
    }

    private static DateTimeOffset FromMilliseconds(long milliseconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);

    private static string DefaultName(string image)
    {
        if (Execution.ImageReference.TryParse(image, out var reference, out _))
        {
            var path = reference!.Path;
            return path[(path.LastIndexOf('/') + 1)..];
        }

        return image;
    }

    // Converts PowerShell's * and ? wildcards to LIKE, escaping LIKE's own % and _ so that
    // they match literally. Brackets are matched literally, unlike in PowerShell.
    private static string WildcardToLike(string pattern)
    {
        var like = new StringBuilder(pattern.Length + 8);
        foreach (var c in pattern)
        {
            like.Append(c switch
            {
                '*' => "%",
                '?' => "_",
                '%' => "\\%",
                '_' => "\\_",
                '\\' => "\\\\",
                _ => c.ToString(CultureInfo.InvariantCulture),
            });
        }

        return like.ToString();
    }
}
