using ContainerManager.Core.Credentials;
using ContainerManager.Core.Errors;
using static ContainerManager.Core.Storage.SqliteConnections;

namespace ContainerManager.Core.Storage;

/// <summary>
/// Registry credentials in the registry_credentials table of the job store's SQLite file.
/// </summary>
/// <remarks>
/// NOTE: passwords are stored as plain text, protected only by the store file's owner-only
/// permissions, as the docker CLI protects config.json. Anyone who can read the file, or a
/// backup of it, can read them.
/// </remarks>
public sealed class SqliteRegistryCredentialStore : IRegistryCredentialStore
{
    /// <summary>Source named in messages for credentials from this store.</summary>
    public const string SourceName = "the credential stored with Set-CmRegistryCredential";

    private readonly string _connectionString;

    /// <summary>Creates a store on the file of <paramref name="jobStore"/>, which has already migrated it.</summary>
    public SqliteRegistryCredentialStore(SqliteJobStore jobStore)
    {
        _connectionString = jobStore.ConnectionString;
        Location = jobStore.Location;
    }

    /// <inheritdoc />
    public string Location { get; }

    /// <inheritdoc />
    public async Task<RegistryCredentialInfo> SetCredentialAsync(
        string registry,
        string userName,
        string password,
        CancellationToken cancellationToken)
    {
        var name = RegistryName.Normalize(registry);
        if (string.IsNullOrWhiteSpace(userName) || userName.Contains(':'))
        {
            throw new ContainerManagerException(
                "InvalidCredential",
                ErrorKind.InvalidArgument,
                $"The user name '{userName}' for registry '{name}' is invalid. Give a non-empty user name " +
                "without ':'.",
                name);
        }

        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await using var connection = await OpenAsync(_connectionString, Location, cancellationToken)
            .ConfigureAwait(false);
        using var upsert = connection.CreateCommand();
        upsert.CommandText = """
            INSERT INTO registry_credentials (registry, username, password, created_at, updated_at)
            VALUES ($registry, $user, $password, $now, $now)
            ON CONFLICT (registry) DO UPDATE SET
                username = excluded.username, password = excluded.password, updated_at = excluded.updated_at
            RETURNING registry, username, created_at, updated_at
            """;
        upsert.Parameters.AddWithValue("$registry", name);
        upsert.Parameters.AddWithValue("$user", userName);
        upsert.Parameters.AddWithValue("$password", password);
        upsert.Parameters.AddWithValue("$now", now);
        await using var reader = await upsert.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return new RegistryCredentialInfo
        {
            Registry = reader.GetString(0),
            UserName = reader.GetString(1),
            CreatedAt = FromMilliseconds(reader.GetInt64(2)),
            UpdatedAt = FromMilliseconds(reader.GetInt64(3)),
        };
    }

    /// <inheritdoc />
    public async Task<RegistryCredential?> GetCredentialAsync(string registry, CancellationToken cancellationToken)
    {
        if (!RegistryName.TryNormalize(registry, out var name))
        {
            return null;
        }

        await using var connection = await OpenAsync(_connectionString, Location, cancellationToken)
            .ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT registry, username, password FROM registry_credentials WHERE registry = $registry";
        command.Parameters.AddWithValue("$registry", name);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return new RegistryCredential
        {
            Registry = reader.GetString(0),
            UserName = reader.GetString(1),
            Password = reader.GetString(2),
            Source = SourceName,
        };
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<RegistryCredentialInfo>> ListCredentialsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(_connectionString, Location, cancellationToken)
            .ConfigureAwait(false);
        using var command = connection.CreateCommand();
        command.CommandText =
            "SELECT registry, username, created_at, updated_at FROM registry_credentials ORDER BY registry";
        var credentials = new List<RegistryCredentialInfo>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            credentials.Add(new RegistryCredentialInfo
            {
                Registry = reader.GetString(0),
                UserName = reader.GetString(1),
                CreatedAt = FromMilliseconds(reader.GetInt64(2)),
                UpdatedAt = FromMilliseconds(reader.GetInt64(3)),
            });
        }

        return credentials;
    }

    /// <inheritdoc />
    public async Task<bool> RemoveCredentialAsync(string registry, CancellationToken cancellationToken)
    {
        if (!RegistryName.TryNormalize(registry, out var name))
        {
            return false;
        }

        await using var connection = await OpenAsync(_connectionString, Location, cancellationToken)
            .ConfigureAwait(false);
        using var delete = connection.CreateCommand();
        delete.CommandText = "DELETE FROM registry_credentials WHERE registry = $registry";
        delete.Parameters.AddWithValue("$registry", name);
        return await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }
}
