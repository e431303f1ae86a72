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
}
