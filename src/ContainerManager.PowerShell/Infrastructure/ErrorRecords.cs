using System.Management.Automation;
using ContainerManager.Core.Errors;

namespace ContainerManager.PowerShell.Infrastructure;

/// <summary>Builds ErrorRecords from the core's exceptions.</summary>
internal static class ErrorRecords
{
    public static ErrorRecord From(ContainerManagerException exception) =>
        new(exception, exception.ErrorId, Category(exception.Kind), exception.TargetObject);

    public static ErrorRecord Create(string errorId, ErrorKind kind, string message, object? target) =>
        From(new ContainerManagerException(errorId, kind, message, target));

    public static ErrorCategory Category(ErrorKind kind) => kind switch
    {
        ErrorKind.InvalidArgument => ErrorCategory.InvalidArgument,
        ErrorKind.ObjectNotFound => ErrorCategory.ObjectNotFound,
        ErrorKind.ResourceExists => ErrorCategory.ResourceExists,
        ErrorKind.InvalidOperation => ErrorCategory.InvalidOperation,
        ErrorKind.ResourceUnavailable => ErrorCategory.ResourceUnavailable,
        ErrorKind.PermissionDenied => ErrorCategory.PermissionDenied,
        ErrorKind.OperationTimeout => ErrorCategory.OperationTimeout,
        ErrorKind.InvalidData => ErrorCategory.InvalidData,
        _ => ErrorCategory.NotSpecified,
    };
}
