namespace ContainerManager.Core.Templates;

/// <summary>
/// One <c>KEY=VALUE</c> definition of an environment template, with quotes, escapes and
/// references to earlier keys already applied.
/// </summary>
/// <remarks>
/// <see cref="Value"/> may be a secret, so <see cref="ToString"/> leaves it out.
/// </remarks>
public sealed class DotEnvEntry
{
    /// <summary>Creates an entry.</summary>
    /// <param name="key">Variable name, already validated by the parser.</param>
    /// <param name="value">Final value, which still contains <c>${env:NAME}</c> references.</param>
    /// <param name="lineNumber">1-based line on which the key appears.</param>
    public DotEnvEntry(string key, string value, int lineNumber)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentOutOfRangeException.ThrowIfLessThan(lineNumber, 1);

        Key = key;
        Value = value;
        LineNumber = lineNumber;
    }

    /// <summary>Variable name.</summary>
    public string Key { get; }

    /// <summary>
    /// Final value. References to the processor's environment (<c>${env:NAME}</c>) are kept as
    /// text, for <see cref="EnvironmentReferenceResolver"/> to replace at launch time.
    /// </summary>
    public string Value { get; }

    /// <summary>1-based line of the key, which is also the first line of a multi-line value.</summary>
    public int LineNumber { get; }

    /// <summary>
    /// 1-based last line of the definition: the line of the closing quote of a multi-line value,
    /// else <see cref="LineNumber"/>. The parser sets it; zero means not known.
    /// </summary>
    internal int LastLineNumber { get; init; }

    /// <summary>Formats the entry as <c>KEY (line N)</c>, without the value.</summary>
    public override string ToString() => $"{Key} (line {LineNumber})";
}
