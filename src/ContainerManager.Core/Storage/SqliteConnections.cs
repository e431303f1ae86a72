using Microsoft.Data.Sqlite;

namespace ContainerManager.Core.Storage;

/// <summary>Opens connections to a store file that <see cref="SqliteJobStore.Open(string)"/> has migrated.</summary>
internal static class SqliteConnections
{
    /// <summary>SQLite's primary result code for a violated UNIQUE or PRIMARY KEY constraint.</summary>
    public const int ConstraintViolation = 19;

    public static async Task<SqliteConnection> OpenAsync(
        string connectionString,
        string location,
        CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch (SqliteException ex)
        {
            var timeout = connection.DefaultTimeout;
            await connection.DisposeAsync().ConfigureAwait(false);
            throw SqliteStoreErrors.From(ex, location, timeout);
        }
    }

    public static object ToDb(object? value) => value ?? DBNull.Value;

    public static DateTimeOffset FromMilliseconds(long milliseconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
}
