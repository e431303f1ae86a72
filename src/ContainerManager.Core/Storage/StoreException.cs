using ContainerManager.Core.Errors;

namespace ContainerManager.Core.Storage;

/// <summary>
/// Failure of the store file itself rather than of one request: StoreReadOnly, StoreBusy or
/// StoreUnavailable. Every later request to the same store is likely to fail the same way.
/// </summary>
public sealed class StoreException : ContainerManagerException
{
    /// <summary>Creates a store failure; <paramref name="location"/> is the store file and the target.</summary>
    public StoreException(string errorId, ErrorKind kind, string message, string location, Exception? innerException = null)
        : base(errorId, kind, message, location, innerException)
    {
        Location = location;
    }

    /// <summary>Full path of the store file.</summary>
    public string Location { get; }
}
