namespace ContainerManager.Core.Errors;

/// <summary>
/// Cause of a failure, independent of PowerShell; the cmdlet layer maps each kind to an
/// ErrorCategory.
/// </summary>
public enum ErrorKind
{
    /// <summary>A value given by the caller is out of range or malformed.</summary>
    InvalidArgument,

    /// <summary>A job, host, template or image that was named does not exist.</summary>
    ObjectNotFound,

    /// <summary>An object with the same name or key already exists.</summary>
    ResourceExists,

    /// <summary>The object exists but is in a state that does not allow the operation.</summary>
    InvalidOperation,

    /// <summary>An engine, registry or store could not be reached or used.</summary>
    ResourceUnavailable,

    /// <summary>Credentials or file permissions were rejected.</summary>
    PermissionDenied,

    /// <summary>An operation did not finish within its time limit.</summary>
    OperationTimeout,

    /// <summary>Stored data cannot be read by this version of the module.</summary>
    InvalidData,
}
