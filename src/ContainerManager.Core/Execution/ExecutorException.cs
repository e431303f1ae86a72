using ContainerManager.Core.Errors;

namespace ContainerManager.Core.Execution;

/// <summary>Failure of an executor call, classified as transient or permanent.</summary>
public sealed class ExecutorException : ContainerManagerException
{
    /// <summary>Creates an executor failure.</summary>
    public ExecutorException(
        string errorId,
        ErrorKind kind,
        FailureKind failureKind,
        string message,
        object? targetObject = null,
        Exception? innerException = null)
        : base(errorId, kind, message, targetObject, innerException)
    {
        FailureKind = failureKind;
    }

    /// <summary>Whether a later attempt may succeed.</summary>
    public FailureKind FailureKind { get; }
}
