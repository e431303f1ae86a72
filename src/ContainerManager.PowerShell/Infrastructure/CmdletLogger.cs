using Microsoft.Extensions.Logging;

namespace ContainerManager.PowerShell.Infrastructure;

/// <summary>
/// Forwards core log messages to PowerShell's streams: debug and trace to debug,
/// information to verbose, warnings and errors to warning.
/// </summary>
internal sealed class CmdletLogger(ContainerManagerCmdlet cmdlet) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

    public void Log<TState>(
        LogLevel logLevel,
        EventId eventId,
        TState state,
        Exception? exception,
        Func<TState, Exception?, string> formatter)
    {
        var message = formatter(state, exception);
        switch (logLevel)
        {
            case LogLevel.Trace:
            case LogLevel.Debug:
                cmdlet.Enqueue(c => c.WriteDebug(message));
                break;
            case LogLevel.Information:
                cmdlet.Enqueue(c => c.WriteVerbose(message));
                break;
            default:
                cmdlet.Enqueue(c => c.WriteWarning(message));
                break;
        }
    }
}
