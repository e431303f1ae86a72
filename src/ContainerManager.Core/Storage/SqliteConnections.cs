using ContainerManager.Core.Errors;
using Microsoft.Data.Sqlite;

namespace ContainerManager.Core.Storage;

/// <summary>Opens connections to a store file that <see cref="SqliteJobStore.Open"/> has migrated.</summary>
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
            await connection.DisposeAsync().ConfigureAwait(false);
            throw new ContainerManagerException(
                "StoreUnavailable",
                ErrorKind.ResourceUnavailable,
                $"The job store '{location}' could not be opened: {ex.Message}",
                location,
                ex);
        }
    }

    public static object ToDb(object? value) => value ?? DBNull.Value;

    public static DateTimeOffset FromMilliseconds(long milliseconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
}
