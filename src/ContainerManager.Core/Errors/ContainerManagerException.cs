namespace ContainerManager.Core.Errors;

/// <summary>
/// Failure that the module reports to its user. <see cref="ErrorId"/> is a short stable
/// identifier (for example <c>JobNotFound</c>) that scripts and tests match on, and
/// <see cref="TargetObject"/> is the job, host or value concerned.
/// </summary>
public class ContainerManagerException : Exception
{
    /// <summary>Creates an exception with a stable id, a cause and a message for people.</summary>
    public ContainerManagerException(
        string errorId,
        ErrorKind kind,
        string message,
        object? targetObject = null,
        Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorId = errorId;
        Kind = kind;
        TargetObject = targetObject;
    }

    /// <summary>Stable identifier of the failure, without the cmdlet name.</summary>
    public string ErrorId { get; }

    /// <summary>Cause of the failure.</summary>
    public ErrorKind Kind { get; }

    /// <summary>Job, host, template or value that the failure is about.</summary>
    public object? TargetObject { get; }
}
