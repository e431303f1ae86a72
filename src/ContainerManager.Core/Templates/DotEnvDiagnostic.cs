namespace ContainerManager.Core.Templates;

/// <summary>
/// Error or warning found while parsing an environment template, tied to a line of its source.
/// </summary>
public sealed class DotEnvDiagnostic
{
    /// <summary>Creates a diagnostic for line <paramref name="lineNumber"/> of a source.</summary>
    /// <param name="source">File path or other name of the template, as given to the parser.</param>
    /// <param name="lineNumber">1-based line number.</param>
    /// <param name="message">Sentence that names the key or line and explains the fix.</param>
    public DotEnvDiagnostic(string source, int lineNumber, string message)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentOutOfRangeException.ThrowIfLessThan(lineNumber, 1);

        Source = source;
        LineNumber = lineNumber;
        Message = message;
    }

    /// <summary>File path or other name of the template, as given to the parser.</summary>
    public string Source { get; }

    /// <summary>1-based line number that the diagnostic is about.</summary>
    public int LineNumber { get; }

    /// <summary>
    /// Description of the problem. Messages from the parser quote no value text, except the
    /// referenced name in an undefined-reference error for a key that does not look secret.
    /// </summary>
    public string Message { get; }

    /// <summary>Formats the diagnostic as <c>source:line: message</c>, like compiler output.</summary>
    public override string ToString() => $"{Source}:{LineNumber}: {Message}";
}
