using System.Globalization;
using ContainerManager.Core.Errors;
using Microsoft.Data.Sqlite;

namespace ContainerManager.Core.Storage;

/// <summary>Turns SQLite failures of a store into <see cref="StoreException"/> with stable ids.</summary>
internal static class SqliteStoreErrors
{
    // SQLite's primary result codes SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY and SQLITE_PERM.
    private const int Busy = 5;
    private const int Locked = 6;
    private const int ReadOnly = 8;
    private const int Permission = 3;

    /// <summary>
    /// Returns StoreReadOnly (PermissionDenied) for a store that cannot be written, StoreBusy
    /// (ResourceUnavailable) for one that stayed locked for <paramref name="busyTimeoutSeconds"/>,
    /// and StoreUnavailable for any other SQLite failure.
    /// </summary>
    public static StoreException From(SqliteException exception, string location, int busyTimeoutSeconds)
    {
        // An extended result code keeps the primary one in its low byte.
        var code = exception.SqliteErrorCode & 0xFF;
        switch (code)
        {
            case ReadOnly:
                return new StoreException("StoreReadOnly", ErrorKind.PermissionDenied,
                    $"The job store '{location}' is read-only, so the change was not saved: {exception.Message} " +
                    "Make the file, its -wal and -shm files and its folder writable for this user (check the " +
                    "file mode, chattr +i and read-only mounts), or give another store with -Database or " +
                    $"$env:{StoreLocation.EnvironmentVariable}.",
                    location, exception);

            case Busy or Locked:
                return new StoreException("StoreBusy", ErrorKind.ResourceUnavailable,
                    string.Create(CultureInfo.InvariantCulture,
                        $"The job store '{location}' stayed locked by another connection for more than " +
                        $"{busyTimeoutSeconds} s: {exception.Message} ") +
                    "Try again when the other writer has finished, for example once a SQLite tool has closed " +
                    "its open transaction.",
                    location, exception);

            default:
                return new StoreException("StoreUnavailable",
                    code == Permission ? ErrorKind.PermissionDenied : ErrorKind.ResourceUnavailable,
                    $"The job store '{location}' could not be opened or used: {exception.Message} Check that " +
                    "its folder exists and is writable and that the file is an undamaged ContainerManager store, " +
                    $"or give another store with -Database or $env:{StoreLocation.EnvironmentVariable}.",
                    location, exception);
        }
    }
}
