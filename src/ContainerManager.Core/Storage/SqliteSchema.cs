using ContainerManager.Core.Errors;
using Microsoft.Data.Sqlite;

namespace ContainerManager.Core.Storage;

/// <summary>
/// Versioned schema of the SQLite store. Each migration runs once, in order, inside a
/// transaction that also records its version in schema_version.
/// </summary>
internal static class SqliteSchema
{
    private static readonly string[] Migrations =
    [
        // Version 1. Times are Unix milliseconds (UTC) so that they sort and compare as
        // integers; command and environment are JSON.
        """
        CREATE TABLE store_info (
            key   TEXT PRIMARY KEY,
            value TEXT NOT NULL
        );
        CREATE TABLE jobs (
            id               INTEGER PRIMARY KEY AUTOINCREMENT,
            name             TEXT    NOT NULL,
            image            TEXT    NOT NULL,
            command          TEXT    NOT NULL,
            environment      TEXT    NOT NULL,
            secret_keys      TEXT    NOT NULL,
            templates        TEXT    NOT NULL,
            memory_mib       INTEGER,
            cpus             REAL,
            timeout_seconds  INTEGER,
            status           TEXT    NOT NULL,
            priority         INTEGER NOT NULL,
            due_at           INTEGER NOT NULL,
            attempt          INTEGER NOT NULL,
            attempt_base     INTEGER NOT NULL DEFAULT 0,
            max_attempts     INTEGER NOT NULL,
            retry_exit_codes TEXT    NOT NULL DEFAULT '[]',
            target_host      TEXT,
            interrupted_attempt INTEGER,
            host_labels      TEXT    NOT NULL DEFAULT '{}',
            exit_code        INTEGER,
            oom_killed       INTEGER NOT NULL DEFAULT 0,
            created_at       INTEGER NOT NULL,
            started_at       INTEGER,
            completed_at     INTEGER,
            container_id     TEXT,
            host_name        TEXT,
            error_message    TEXT,
            created_by       TEXT,
            created_on       TEXT,
            lease_owner      TEXT,
            lease_expires_at INTEGER
        );
        CREATE INDEX jobs_status ON jobs (status);
        -- Partial index in claim order, so a claim reads only the first due rows even
        -- when many jobs are queued.
        CREATE INDEX jobs_due ON jobs (priority DESC, due_at, id)
            WHERE status IN ('Pending', 'Retrying');
        CREATE INDEX jobs_name ON jobs (name);
        CREATE TABLE job_logs (
            job_id        INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
            attempt       INTEGER NOT NULL,
            stream        TEXT    NOT NULL,
            content       TEXT    NOT NULL,
            total_bytes   INTEGER NOT NULL,
            dropped_bytes INTEGER NOT NULL,
            PRIMARY KEY (job_id, attempt, stream)
        );
        CREATE TABLE job_events (
            id     INTEGER PRIMARY KEY AUTOINCREMENT,
            job_id INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
            time   INTEGER NOT NULL,
            kind   TEXT    NOT NULL,
            message TEXT   NOT NULL,
            actor  TEXT
        );
        CREATE INDEX job_events_job ON job_events (job_id, id);
        CREATE TABLE job_attempts (
            job_id        INTEGER NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
            attempt       INTEGER NOT NULL,
            status        TEXT    NOT NULL,
            host_name     TEXT,
            container_id  TEXT,
            processor_id  TEXT,
            started_at    INTEGER,
            completed_at  INTEGER,
            exit_code     INTEGER,
            oom_killed    INTEGER NOT NULL DEFAULT 0,
            error_message TEXT,
            PRIMARY KEY (job_id, attempt)
        );
        CREATE TABLE processors (
            id           TEXT    PRIMARY KEY,
            machine      TEXT    NOT NULL,
            process_id   INTEGER NOT NULL,
            mode         TEXT    NOT NULL,
            started_at   INTEGER NOT NULL,
            heartbeat_at INTEGER NOT NULL,
            stopped_at   INTEGER
        );
        """,

        // Version 2. Environment templates. The text is the .env text as given, secret values
        // included, which the owner-only store file protects; every read masks them. NOCASE
        // keeps names unique ignoring ASCII case, and template names are ASCII only.
        """
        CREATE TABLE environment_templates (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            name        TEXT    NOT NULL COLLATE NOCASE UNIQUE,
            description TEXT,
            text        TEXT    NOT NULL,
            secret_keys TEXT    NOT NULL,
            source      TEXT    NOT NULL,
            source_path TEXT,
            created_at  INTEGER NOT NULL,
            updated_at  INTEGER NOT NULL
        );
        """,

        // Version 3. Executor hosts with their last health check, and registry credentials.
        // NOCASE keys make names unique without regard to case. NOCASE folds only ASCII, and
        // validation keeps host names ASCII.
        """
        CREATE TABLE executor_hosts (
            name                      TEXT    NOT NULL PRIMARY KEY COLLATE NOCASE,
            type                      TEXT    NOT NULL,
            endpoint                  TEXT    NOT NULL,
            tls_ca_path               TEXT,
            tls_cert_path             TEXT,
            tls_key_path              TEXT,
            tls_verify                INTEGER NOT NULL,
            enabled                   INTEGER NOT NULL,
            max_concurrent_jobs       INTEGER NOT NULL,
            weight                    INTEGER NOT NULL,
            labels                    TEXT    NOT NULL,
            pull_policy               TEXT    NOT NULL,
            default_memory_mib        INTEGER,
            default_cpus              REAL,
            allow_privileged          INTEGER NOT NULL,
            allow_bind_mounts         INTEGER NOT NULL,
            created_at                INTEGER NOT NULL,
            updated_at                INTEGER NOT NULL,
            health_checked_at         INTEGER,
            health_ok                 INTEGER,
            health_message            TEXT,
            health_engine_version     TEXT,
            health_api_version        TEXT,
            health_os                 TEXT,
            health_architecture       TEXT,
            health_cpus               INTEGER,
            health_memory_bytes       INTEGER,
            health_running_containers INTEGER,
            health_response_ms        INTEGER
        );
        CREATE TABLE registry_credentials (
            registry   TEXT    NOT NULL PRIMARY KEY COLLATE NOCASE,
            username   TEXT    NOT NULL,
            password   TEXT    NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        );
        """,

        // Version 4. Container options of a job. Labels, volumes and bind mounts are JSON,
        // like the command; the defaults give jobs queued before this version no options.
        """
        ALTER TABLE jobs ADD COLUMN working_directory TEXT;
        ALTER TABLE jobs ADD COLUMN container_user TEXT;
        ALTER TABLE jobs ADD COLUMN network TEXT;
        ALTER TABLE jobs ADD COLUMN labels TEXT NOT NULL DEFAULT '{}';
        ALTER TABLE jobs ADD COLUMN volumes TEXT NOT NULL DEFAULT '[]';
        ALTER TABLE jobs ADD COLUMN bind_mounts TEXT NOT NULL DEFAULT '[]';
        ALTER TABLE jobs ADD COLUMN privileged INTEGER NOT NULL DEFAULT 0;
        """,

        // Version 5. Why a processor's latest run found no engine to use, which becomes the
        // wait reason of queued jobs.
        """
        ALTER TABLE processors ADD COLUMN last_error TEXT;
        """,
    ];

    /// <summary>Schema version this build of the module writes.</summary>
    public static int LatestVersion => Migrations.Length;

    /// <summary>
    /// Brings the schema up to <see cref="LatestVersion"/>. A store written by a newer
    /// module is rejected rather than downgraded, and an existing store is copied to a
    /// backup file before its first migration.
    /// </summary>
    public static void Migrate(SqliteConnection connection, string path)
    {
        using (var create = connection.CreateCommand())
        {
            create.CommandText =
                "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL, applied_at INTEGER NOT NULL)";
            create.ExecuteNonQuery();
        }

        var current = ReadVersion(connection);
        if (current > LatestVersion)
        {
            throw new ContainerManagerException(
                "StoreSchemaTooNew",
                ErrorKind.InvalidData,
                $"The job store '{path}' has schema version {current}, but this module knows " +
                $"versions up to {LatestVersion}. Update the ContainerManager module, or use " +
                "another store with -Database.",
                path);
        }

        if (current == LatestVersion)
        {
            return;
        }

        if (current > 0)
        {
            Backup(connection, path, current);
        }

        for (var version = current + 1; version <= LatestVersion; version++)
        {
            using var transaction = connection.BeginTransaction();
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = Migrations[version - 1] +
                ";\nINSERT INTO schema_version (version, applied_at) VALUES ($version, $now);";
            command.Parameters.AddWithValue("$version", version);
            command.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            command.ExecuteNonQuery();
            if (version == 1)
            {
                using var info = connection.CreateCommand();
                info.Transaction = transaction;
                info.CommandText = "INSERT INTO store_info (key, value) VALUES ('store_id', $id)";
                info.Parameters.AddWithValue("$id", Guid.NewGuid().ToString("N")[..12]);
                info.ExecuteNonQuery();
            }

            transaction.Commit();
        }
    }

    private static int ReadVersion(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_version";
        return Convert.ToInt32(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void Backup(SqliteConnection connection, string path, int version)
    {
        var backupPath = $"{path}.v{version}-{DateTime.UtcNow:yyyyMMddHHmmss}.bak";
        using var command = connection.CreateCommand();
        command.CommandText = "VACUUM INTO $path";
        command.Parameters.AddWithValue("$path", backupPath);
        command.ExecuteNonQuery();
    }
}
