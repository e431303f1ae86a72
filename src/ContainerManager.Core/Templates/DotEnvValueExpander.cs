using System.Text;

namespace ContainerManager.Core.Templates;

/// <summary>
/// Applies escapes and <c>$</c> references to the text of one unquoted or double-quoted value.
/// It reports problems as data, so <see cref="DotEnvReader"/> decides how to word them and
/// whether a referenced name may appear in a message.
/// </summary>
internal sealed class DotEnvValueExpander
{
    private readonly IReadOnlyDictionary<string, string> _definedValues;
    private readonly IReadOnlySet<string> _failedKeys;

    /// <param name="definedValues">Latest successful value of each key defined so far.</param>
    /// <param name="failedKeys">Keys whose latest definition has an error.</param>
    public DotEnvValueExpander(
        IReadOnlyDictionary<string, string> definedValues,
        IReadOnlySet<string> failedKeys)
    {
        _definedValues = definedValues;
        _failedKeys = failedKeys;
    }

    /// <summary>Kind of a problem found in a value.</summary>
    public enum ProblemKind
    {
        /// <summary><see cref="Problem.Name"/> is not a key defined on an earlier line.</summary>
        UndefinedName,

        /// <summary><c>${</c> has no closing <c>}</c> in the value.</summary>
        UnterminatedBrace,

        /// <summary>The name inside <c>${...}</c> is not a valid key.</summary>
        InvalidName,

        /// <summary>The name after <c>${env:</c> is not a valid processor variable name.</summary>
        InvalidProcessorVariableName,

        /// <summary><c>$env:NAME</c> was written without the braces that the format requires.</summary>
        ProcessorReferenceWithoutBraces,

        /// <summary>The default of <c>${NAME:-default}</c> contains <c>${</c>.</summary>
        ReferenceInDefault,
    }

    /// <summary>Problem found in a value. <see cref="Name"/> is set only for undefined names.</summary>
    public sealed record Problem(ProblemKind Kind, string? Name = null);

    /// <summary>
    /// Expanded value and the problems found. <see cref="UsesFailedKey"/> is true when a
    /// reference named a key whose own line has an error, so the value is incomplete.
    /// </summary>
    public sealed record Result(string Value, IReadOnlyList<Problem> Problems, bool UsesFailedKey);

    /// <summary>Expands <paramref name="raw"/>, the text between the quotes or after '='.</summary>
    /// <param name="raw">Value text, without the comment of an unquoted value.</param>
    /// <param name="isDoubleQuoted">
    /// True to apply the double-quote escapes, false for an unquoted value, where only
    /// <c>\$</c> is an escape.
    /// </param>
    public Result Expand(string raw, bool isDoubleQuoted)
    {
        var state = new ExpansionState(raw.Length);
        var i = 0;
        while (i < raw.Length)
        {
            var c = raw[i];
            if (c == '\\' && i + 1 < raw.Length)
            {
                i = AppendEscape(raw, i, isDoubleQuoted, state.Value);
            }
            else if (c == '$')
            {
                i = AppendReference(raw, i, state);
            }
            else
            {
                state.Value.Append(c);
                i++;
            }
        }

        return new Result(state.Value.ToString(), state.Problems, state.UsesFailedKey);
    }

    /// <summary>Appends the escape at <paramref name="index"/> and returns the index after it.</summary>
    private static int AppendEscape(string raw, int index, bool isDoubleQuoted, StringBuilder value)
    {
        var next = raw[index + 1];
        if (!isDoubleQuoted)
        {
            // Unquoted values keep backslashes, so Windows paths work, except before '$'.
            if (next == '$')
            {
                value.Append('$');
                return index + 2;
            }

            value.Append('\\');
            return index + 1;
        }

        switch (next)
        {
            case 'n':
                value.Append('\n');
                break;
            case 'r':
                value.Append('\r');
                break;
            case 't':
                value.Append('\t');
                break;
            case '"' or '\\' or '$':
                value.Append(next);
                break;
            default:
                // Unknown escapes stay as written, so "C:\data" keeps its backslash.
                value.Append('\\').Append(next);
                break;
        }

        return index + 2;
    }

    /// <summary>
    /// Appends the reference that starts with the '$' at <paramref name="index"/>, or the '$'
    /// itself when no name follows it, and returns the index after what it consumed.
    /// </summary>
    private int AppendReference(string raw, int index, ExpansionState state)
    {
        var afterDollar = index + 1;
        if (afterDollar < raw.Length && raw[afterDollar] == '{')
        {
            return AppendBracedReference(raw, index, state);
        }

        if (afterDollar >= raw.Length || !DotEnvSyntax.IsNameStart(raw[afterDollar]))
        {
            state.Value.Append('$');
            return afterDollar;
        }

        var end = afterDollar + 1;
        while (end < raw.Length && DotEnvSyntax.IsNamePart(raw[end]))
        {
            end++;
        }

        var name = raw[afterDollar..end];
        var isPowerShellStyle = end < raw.Length
            && raw[end] == ':'
            && name.Equals("env", StringComparison.OrdinalIgnoreCase);
        if (isPowerShellStyle)
        {
            state.Problems.Add(new Problem(ProblemKind.ProcessorReferenceWithoutBraces));
            return end + 1;
        }

        AppendKeyValue(name, defaultValue: null, state);
        return end;
    }

    private int AppendBracedReference(string raw, int index, ExpansionState state)
    {
        var contentStart = index + 2;
        var close = raw.IndexOf('}', contentStart);
        if (close < 0)
        {
            state.Problems.Add(new Problem(ProblemKind.UnterminatedBrace));
            return raw.Length;
        }

        var content = raw[contentStart..close];
        if (DotEnvSyntax.IsProcessorReference(content))
        {
            var variableName = content[DotEnvSyntax.ProcessorReferencePrefix.Length..];
            if (DotEnvSyntax.IsValidProcessorVariableName(variableName))
            {
                // Resolved at launch time by EnvironmentReferenceResolver, so kept as written.
                state.Value.Append(raw, index, close + 1 - index);
            }
            else
            {
                state.Problems.Add(new Problem(ProblemKind.InvalidProcessorVariableName));
            }

            return close + 1;
        }

        var defaultSeparator = content.IndexOf(":-", StringComparison.Ordinal);
        var name = defaultSeparator < 0 ? content : content[..defaultSeparator];
        var defaultValue = defaultSeparator < 0 ? null : content[(defaultSeparator + 2)..];
        if (!DotEnvSyntax.IsValidKey(name))
        {
            state.Problems.Add(new Problem(ProblemKind.InvalidName));
        }
        else if (defaultValue is not null && defaultValue.Contains("${", StringComparison.Ordinal))
        {
            state.Problems.Add(new Problem(ProblemKind.ReferenceInDefault));
        }
        else
        {
            AppendKeyValue(name, defaultValue, state);
        }

        return close + 1;
    }

    private void AppendKeyValue(string name, string? defaultValue, ExpansionState state)
    {
        if (_failedKeys.Contains(name))
        {
            state.UsesFailedKey = true;
            return;
        }

        if (_definedValues.TryGetValue(name, out var value))
        {
            var useDefault = defaultValue is not null && value.Length == 0;
            state.Value.Append(useDefault ? defaultValue : value);
            return;
        }

        if (defaultValue is not null)
        {
            state.Value.Append(defaultValue);
            return;
        }

        state.Problems.Add(new Problem(ProblemKind.UndefinedName, name));
    }

    private sealed class ExpansionState(int capacity)
    {
        public StringBuilder Value { get; } = new(capacity);

        public List<Problem> Problems { get; } = [];

        public bool UsesFailedKey { get; set; }
    }
}
