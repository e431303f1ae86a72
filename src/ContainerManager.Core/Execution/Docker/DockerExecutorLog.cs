using Microsoft.Extensions.Logging;

namespace ContainerManager.Core.Execution.Docker;

/// <summary>Log messages of the Docker executor, with stable event ids.</summary>
internal static partial class DockerExecutorLog
{
    [LoggerMessage(101, LogLevel.Information,
        "Pulling {Image} on {Where} from registry {Registry} as user {UserName} (credentials from {Source})")]
    public static partial void Pulling(
        ILogger logger, string image, string where, string registry, string? userName, string? source);

    [LoggerMessage(102, LogLevel.Information, "Pulled {Image} on {Where}")]
    public static partial void Pulled(ILogger logger, string image, string where);

    [LoggerMessage(103, LogLevel.Warning,
        "Pulling anonymously from registry {Registry}: {Source} keeps its credentials in the credential helper {Helper}, which this module does not run")]
    public static partial void HelperSkipped(ILogger logger, string registry, string helper, string source);

    [LoggerMessage(104, LogLevel.Warning,
        "Container {ContainerId} on {Where} failed to start and could not be removed: {Reason}")]
    public static partial void RemoveFailed(ILogger logger, string containerId, string where, string reason);
}
