using System.Text.Json;
using ContainerManager.Core.Errors;
using ContainerManager.Core.Hosts;
using Microsoft.Data.Sqlite;
using static ContainerManager.Core.Storage.SqliteConnections;

namespace ContainerManager.Core.Storage;

/// <summary>Executor hosts in the executor_hosts table of the job store's SQLite file.</summary>
public sealed class SqliteExecutorHostStore : IExecutorHostStore
{
    private const string HostColumns =
        "name, type, endpoint, tls_ca_path, tls_cert_path, tls_key_path, tls_verify, enabled, " +
        "max_concurrent_jobs, weight, labels, pull_policy, default_memory_mib, default_cpus, " +
        "allow_privileged, allow_bind_mounts, created_at, updated_at, health_checked_at, health_ok, " +
        "health_message, health_engine_version, health_api_version, health_os, health_architecture, " +
        "health_cpus, health_memory_bytes, health_running_containers, health_response_ms";

    private readonly string _connectionString;
    private readonly SqliteJobStore _jobStore;

    /// <summary>Creates a store on the file of <paramref name="jobStore"/>, which has already migrated it.</summary>
    public SqliteExecutorHostStore(SqliteJobStore jobStore)
    {
        _jobStore = jobStore;
        _connectionString = jobStore.ConnectionString;
        Location = jobStore.Location;
    }

    /// <inheritdoc />
    public string Location { get; }

    /// <inheritdoc />
    public async Task<ExecutorHost> AddHostAsync(ExecutorHost host, CancellationToken cancellationToken)
    {
        host.Validate();

        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await using var connection = await OpenAsync(_connectionString, Location, cancellationToken)
            .ConfigureAwait(false);
        using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO executor_hosts (name, type, endpoint, tls_ca_path, tls_cert_path, tls_key_path,
                tls_verify, enabled, max_concurrent_jobs, weight, labels, pull_policy, default_memory_mib,
                default_cpus, allow_privileged, allow_bind_mounts, created_at, updated_at)
            VALUES ($name, $type, $endpoint, $tlsCa, $tlsCert, $tlsKey, $tlsVerify, $enabled, $maxJobs,
                $weight, $labels, $pullPolicy, $memory, $cpus, $privileged, $bindMounts, $now, $now)
            """;
        AddSettings(insert, host);
        insert.Parameters.AddWithValue("$now", now);
        try
        {
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex) when (ex.SqliteErrorCode == ConstraintViolation)
        {
            throw new ContainerManagerException(
                "HostAlreadyExists",
                ErrorKind.ResourceExists,
                $"A host named '{host.Name}' already exists in the store '{Location}'. Change it with " +
                "Set-ExecutorHost, or choose another name.",
                host.Name,
                ex);
        }

        return (await ReadHostAsync(connection, host.Name, cancellationToken).ConfigureAwait(false))!;
    }

    /// <inheritdoc />
    public async Task<ExecutorHost?> GetHostAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(_connectionString, Location, cancellationToken)
            .ConfigureAwait(false);
        return await ReadHostAsync(connection, name, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ExecutorHost>> ListHostsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(_connectionString, Location, cancellationToken)
            .ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {HostColumns} FROM executor_hosts ORDER BY name";
        return await ReadHostsAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<ExecutorHost> UpdateHostAsync(ExecutorHost host, CancellationToken cancellationToken)
    {
        host.Validate();

        await using var connection = await OpenAsync(_connectionString, Location, cancellationToken)
            .ConfigureAwait(false);
        using var update = connection.CreateCommand();
        update.CommandText = """
            UPDATE executor_hosts SET type = $type, endpoint = $endpoint, tls_ca_path = $tlsCa,
                tls_cert_path = $tlsCert, tls_key_path = $tlsKey, tls_verify = $tlsVerify,
                enabled = $enabled, max_concurrent_jobs = $maxJobs, weight = $weight, labels = $labels,
                pull_policy = $pullPolicy, default_memory_mib = $memory, default_cpus = $cpus,
                allow_privileged = $privileged, allow_bind_mounts = $bindMounts, updated_at = $now
            WHERE name = $name
            """;
        AddSettings(update, host);
        update.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        if (await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 0)
        {
            throw NotFound(host.Name);
        }

        return (await ReadHostAsync(connection, host.Name, cancellationToken).ConfigureAwait(false))!;
    }

    /// <inheritdoc />
    public async Task<ExecutorHost?> SetEnabledAsync(string name, bool enabled, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(_connectionString, Location, cancellationToken)
            .ConfigureAwait(false);
        using var update = connection.CreateCommand();
        update.CommandText = "UPDATE executor_hosts SET enabled = $enabled, updated_at = $now WHERE name = $name";
        update.Parameters.AddWithValue("$name", name);
        update.Parameters.AddWithValue("$enabled", enabled ? 1 : 0);
        update.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return await ReadHostAsync(connection, name, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<bool> RemoveHostAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(_connectionString, Location, cancellationToken)
            .ConfigureAwait(false);
        using var delete = connection.CreateCommand();
        delete.CommandText = "DELETE FROM executor_hosts WHERE name = $name";
        delete.Parameters.AddWithValue("$name", name);
        return await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <inheritdoc />
    public async Task<bool> SaveHealthAsync(string name, HostHealth health, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(_connectionString, Location, cancellationToken)
            .ConfigureAwait(false);
        using var update = connection.CreateCommand();
        update.CommandText = """
            UPDATE executor_hosts SET health_checked_at = $checkedAt, health_ok = $ok,
                health_message = $message, health_engine_version = $version,
                health_api_version = $apiVersion, health_os = $os, health_architecture = $architecture,
                health_cpus = $cpus, health_memory_bytes = $memory,
                health_running_containers = $running, health_response_ms = $responseMs
            WHERE name = $name
            """;
        update.Parameters.AddWithValue("$name", name);
        update.Parameters.AddWithValue("$checkedAt", health.CheckedAt.ToUnixTimeMilliseconds());
        update.Parameters.AddWithValue("$ok", health.Ok ? 1 : 0);
        update.Parameters.AddWithValue("$message", ToDb(health.Message));
        update.Parameters.AddWithValue("$version", ToDb(health.EngineVersion));
        update.Parameters.AddWithValue("$apiVersion", ToDb(health.ApiVersion));
        update.Parameters.AddWithValue("$os", ToDb(health.OperatingSystem));
        update.Parameters.AddWithValue("$architecture", ToDb(health.Architecture));
        update.Parameters.AddWithValue("$cpus", ToDb(health.Cpus));
        update.Parameters.AddWithValue("$memory", ToDb(health.MemoryBytes));
        update.Parameters.AddWithValue("$running", ToDb(health.RunningContainers));
        update.Parameters.AddWithValue("$responseMs", health.ResponseTimeMs);
        return await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, int>> CountActiveJobsAsync(CancellationToken cancellationToken) =>
        _jobStore.CountActiveJobsByHostAsync(cancellationToken);

    private ContainerManagerException NotFound(string name) =>
        new("HostNotFound", ErrorKind.ObjectNotFound,
            $"No host named '{name}' exists in the store '{Location}'. List the hosts with Get-ExecutorHost.",
            name);

    private static void AddSettings(SqliteCommand command, ExecutorHost host)
    {
        command.Parameters.AddWithValue("$name", host.Name);
        command.Parameters.AddWithValue("$type", host.Type.ToString());
        command.Parameters.AddWithValue("$endpoint", host.Endpoint);
        command.Parameters.AddWithValue("$tlsCa", ToDb(host.TlsCaPath));
        command.Parameters.AddWithValue("$tlsCert", ToDb(host.TlsCertPath));
        command.Parameters.AddWithValue("$tlsKey", ToDb(host.TlsKeyPath));
        command.Parameters.AddWithValue("$tlsVerify", host.TlsVerify ? 1 : 0);
        command.Parameters.AddWithValue("$enabled", host.Enabled ? 1 : 0);
        command.Parameters.AddWithValue("$maxJobs", host.MaxConcurrentJobs);
        command.Parameters.AddWithValue("$weight", host.Weight);
        command.Parameters.AddWithValue("$labels", JsonSerializer.Serialize(host.Labels));
        command.Parameters.AddWithValue("$pullPolicy", host.PullPolicy.ToString());
        command.Parameters.AddWithValue("$memory", ToDb(host.DefaultMemoryMiB));
        command.Parameters.AddWithValue("$cpus", ToDb(host.DefaultCpus));
        command.Parameters.AddWithValue("$privileged", host.AllowPrivileged ? 1 : 0);
        command.Parameters.AddWithValue("$bindMounts", host.AllowBindMounts ? 1 : 0);
    }

    private static async Task<ExecutorHost?> ReadHostAsync(
        SqliteConnection connection,
        string name,
        CancellationToken cancellationToken)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {HostColumns} FROM executor_hosts WHERE name = $name";
        command.Parameters.AddWithValue("$name", name);
        var hosts = await ReadHostsAsync(command, cancellationToken).ConfigureAwait(false);
        return hosts.Count == 0 ? null : hosts[0];
    }

    private static async Task<IReadOnlyList<ExecutorHost>> ReadHostsAsync(
        SqliteCommand command,
        CancellationToken cancellationToken)
    {
        var hosts = new List<ExecutorHost>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            hosts.Add(MapHost(reader));
        }

        return hosts;
    }

    private static ExecutorHost MapHost(SqliteDataReader reader)
    {
        var labels = JsonSerializer.Deserialize<Dictionary<string, string>>(reader.GetString(10))!;
        var host = new ExecutorHost
        {
            Name = reader.GetString(0),
            Type = Enum.Parse<ExecutorHostType>(reader.GetString(1)),
            Endpoint = reader.GetString(2),
            TlsCaPath = reader.IsDBNull(3) ? null : reader.GetString(3),
            TlsCertPath = reader.IsDBNull(4) ? null : reader.GetString(4),
            TlsKeyPath = reader.IsDBNull(5) ? null : reader.GetString(5),
            TlsVerify = reader.GetInt64(6) != 0,
            Enabled = reader.GetInt64(7) != 0,
            MaxConcurrentJobs = reader.GetInt32(8),
            Weight = reader.GetInt32(9),
            Labels = new Dictionary<string, string>(labels, StringComparer.OrdinalIgnoreCase),
            PullPolicy = Enum.Parse<PullPolicy>(reader.GetString(11)),
            DefaultMemoryMiB = reader.IsDBNull(12) ? null : reader.GetInt32(12),
            DefaultCpus = reader.IsDBNull(13) ? null : reader.GetDouble(13),
            AllowPrivileged = reader.GetInt64(14) != 0,
            AllowBindMounts = reader.GetInt64(15) != 0,
            CreatedAt = FromMilliseconds(reader.GetInt64(16)),
            UpdatedAt = FromMilliseconds(reader.GetInt64(17)),
        };
        if (!reader.IsDBNull(18))
        {
            host.LastHealth = new HostHealth
            {
                HostName = host.Name,
                Endpoint = host.Endpoint,
                CheckedAt = FromMilliseconds(reader.GetInt64(18)),
                Ok = reader.GetInt64(19) != 0,
                Message = reader.IsDBNull(20) ? null : reader.GetString(20),
                EngineVersion = reader.IsDBNull(21) ? null : reader.GetString(21),
                ApiVersion = reader.IsDBNull(22) ? null : reader.GetString(22),
                OperatingSystem = reader.IsDBNull(23) ? null : reader.GetString(23),
                Architecture = reader.IsDBNull(24) ? null : reader.GetString(24),
                Cpus = reader.IsDBNull(25) ? null : reader.GetInt32(25),
                MemoryBytes = reader.IsDBNull(26) ? null : reader.GetInt64(26),
                RunningContainers = reader.IsDBNull(27) ? null : reader.GetInt32(27),
                ResponseTimeMs = reader.IsDBNull(28) ? 0 : reader.GetInt64(28),
            };
        }

        return host;
    }
}
