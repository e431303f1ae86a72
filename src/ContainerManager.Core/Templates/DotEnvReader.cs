namespace ContainerManager.Core.Templates;

/// <summary>
/// Single-use state of one <see cref="DotEnvParser.Parse"/> call. The format rules are
/// documented on <see cref="DotEnvParser"/>.
/// </summary>
internal sealed class DotEnvReader
{
    private const string EscapeAdvice =
        "escape the '$' as '\\$' or put the value in single quotes if the '$' is literal";

    private readonly string _text;
    private readonly string _source;
    private readonly List<DotEnvEntry> _entries = [];
    private readonly List<DotEnvDiagnostic> _warnings = [];
    private readonly List<DotEnvDiagnostic> _errors = [];
    private readonly List<UndefinedReference> _undefinedReferences = [];
    private readonly Dictionary<string, string> _definedValues = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _definitionLines = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<int>> _keyLines = new(StringComparer.Ordinal);
    private readonly HashSet<string> _failedKeys = new(StringComparer.Ordinal);
    private readonly DotEnvValueExpander _expander;

    public DotEnvReader(string text, string source)
    {
        _text = NormalizeLineEndings(text);
        _source = source;
        _expander = new DotEnvValueExpander(_definedValues, _failedKeys);
    }

    /// <summary>Reads the whole text. Call it once per reader.</summary>
    public DotEnvDocument Read()
    {
        var position = 0;
        var lineNumber = 1;
        while (position < _text.Length)
        {
            ReadStatement(ref position, ref lineNumber);
        }

        foreach (var reference in _undefinedReferences)
        {
            _errors.Add(new DotEnvDiagnostic(
                _source, reference.LineNumber, DescribeUndefinedReference(reference)));
        }

        // Undefined references are worded last, once all key lines are known, so sort them in.
        var errors = _errors.OrderBy(error => error.LineNumber).ToList();
        return new DotEnvDocument(_source, _entries, _warnings, errors);
    }

    private static string NormalizeLineEndings(string text)
    {
        var withoutBom = text.Length > 0 && text[0] == '\uFEFF' ? text[1..] : text;

        // A lone CR (classic Mac OS) also ends a line, and quoted values get LF line breaks.
        return withoutBom.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
    }

    /// <summary>
    /// Reads the statement that starts at <paramref name="position"/>, a line start, and moves
    /// both references past its last line, because a quoted value may span several lines.
    /// </summary>
    private void ReadStatement(ref int position, ref int lineNumber)
    {
        var lineStart = position;
        var lineEnd = FindLineEnd(lineStart);
        var startLine = lineNumber;
        position = lineEnd + 1;
        lineNumber++;

        var indent = 0;
        while (lineStart + indent < lineEnd && DotEnvSyntax.IsBlank(_text[lineStart + indent]))
        {
            indent++;
        }

        var contentStart = lineStart + indent;
        if (contentStart == lineEnd || _text[contentStart] == '#')
        {
            return;
        }

        var equalsIndex = _text.IndexOf('=', contentStart, lineEnd - contentStart);
        if (equalsIndex < 0)
        {
            AddError(startLine, "expected KEY=VALUE, but the line has no '='. Add '=' after the key, "
                + "or start the line with '#' to make it a comment.");
            return;
        }

        var key = ReadKey(_text[contentStart..equalsIndex], startLine);
        if (key is null)
        {
            return;
        }

        if (!_keyLines.TryGetValue(key, out var lines))
        {
            lines = [];
            _keyLines[key] = lines;
        }

        lines.Add(startLine);

        var valueStart = equalsIndex + 1;
        while (valueStart < lineEnd && DotEnvSyntax.IsBlank(_text[valueStart]))
        {
            valueStart++;
        }

        var hasBlankAfterEquals = valueStart > equalsIndex + 1;
        var first = valueStart < lineEnd ? _text[valueStart] : '\n';
        if (first is '"' or '\'')
        {
            ReadQuotedValue(key, startLine, valueStart, ref position, ref lineNumber);
            return;
        }

        // "A= # note" is an empty value with a comment, but "A=#1" is the value "#1".
        var raw = first == '#' && hasBlankAfterEquals ? "" : _text[valueStart..lineEnd];
        var expansion = _expander.Expand(StripInlineComment(raw), isDoubleQuoted: false);
        CompleteDefinition(key, startLine, startLine, expansion);
    }

    /// <summary>Returns the key from the text before '=', or null after adding an error.</summary>
    private string? ReadKey(string keyText, int lineNumber)
    {
        var key = keyText.TrimEnd(' ', '\t');
        const string exportKeyword = "export";
        var hasExportPrefix = key.Length > exportKeyword.Length
            && key.StartsWith(exportKeyword, StringComparison.Ordinal)
            && DotEnvSyntax.IsBlank(key[exportKeyword.Length]);
        if (hasExportPrefix)
        {
            key = key[exportKeyword.Length..].TrimStart(' ', '\t');
        }

        if (key.Length == 0)
        {
            AddError(lineNumber, "the key before '=' is missing. Write the line as KEY=VALUE.");
            return null;
        }

        if (!DotEnvSyntax.IsValidKey(key))
        {
            // The key text is left out because a malformed line may be part of a secret.
            AddError(lineNumber, "the text before '=' is not a valid key. A key starts with a "
                + "letter or '_' and contains only letters, digits, '_', '.' and '-'.");
            return null;
        }

        return key;
    }

    private void ReadQuotedValue(
        string key,
        int startLine,
        int quoteIndex,
        ref int position,
        ref int lineNumber)
    {
        var quote = _text[quoteIndex];
        var quoteName = quote == '"' ? "double-quoted" : "single-quoted";
        var close = FindClosingQuote(quoteIndex);
        if (close < 0)
        {
            // Parsing goes on with the next line, so the errors of later lines are reported too.
            _failedKeys.Add(key);
            AddError(startLine, $"the {quoteName} value of '{key}' that starts on this line has no "
                + $"closing {quote}. Add the closing quote.");
            return;
        }

        var raw = _text[(quoteIndex + 1)..close];
        var closeLine = startLine + raw.Count(c => c == '\n');
        var closeLineEnd = FindLineEnd(close);
        position = closeLineEnd + 1;
        lineNumber = closeLine + 1;

        var rest = _text[(close + 1)..closeLineEnd].TrimStart(' ', '\t');
        if (rest.Length > 0 && rest[0] != '#')
        {
            _failedKeys.Add(key);
            var opened = closeLine == startLine ? "" : $" (opened on line {startLine})";
            AddError(closeLine, $"unexpected text after the closing quote of '{key}'{opened}. Only "
                + "whitespace or a '# comment' may follow a quoted value, so move the text inside "
                + "the quotes or remove it.");
            return;
        }

        var expansion = quote == '"'
            ? _expander.Expand(raw, isDoubleQuoted: true)
            : new DotEnvValueExpander.Result(raw, [], UsesFailedKey: false);
        CompleteDefinition(key, startLine, closeLine, expansion);
    }

    /// <summary>
    /// Returns the index of the quote that closes the one at <paramref name="quoteIndex"/>, or -1.
    /// </summary>
    private int FindClosingQuote(int quoteIndex)
    {
        var quote = _text[quoteIndex];
        var i = quoteIndex + 1;
        while (i < _text.Length)
        {
            var c = _text[i];
            if (c == quote)
            {
                return i;
            }

            // In double quotes a backslash escapes the next character, including a quote.
            i += quote == '"' && c == '\\' ? 2 : 1;
        }

        return -1;
    }

    private void CompleteDefinition(
        string key,
        int lineNumber,
        int lastLineNumber,
        DotEnvValueExpander.Result expansion)
    {
        foreach (var problem in expansion.Problems)
        {
            if (problem.Kind == DotEnvValueExpander.ProblemKind.UndefinedName && problem.Name != key)
            {
                _undefinedReferences.Add(new UndefinedReference(key, problem.Name!, lineNumber));
            }
            else
            {
                AddError(lineNumber, DescribeProblem(key, problem));
            }
        }

        if (expansion.Problems.Count > 0 || expansion.UsesFailedKey)
        {
            _failedKeys.Add(key);
            return;
        }

        if (_definitionLines.TryGetValue(key, out var previousLine))
        {
            _warnings.Add(new DotEnvDiagnostic(_source, lineNumber, $"'{key}' is already defined on "
                + $"line {previousLine}, and this definition on line {lineNumber} replaces it. "
                + "Remove one of them if that is not intended."));
        }

        _failedKeys.Remove(key);
        _definedValues[key] = expansion.Value;
        _definitionLines[key] = lineNumber;
        _entries.Add(new DotEnvEntry(key, expansion.Value, lineNumber) { LastLineNumber = lastLineNumber });
    }

    private static string DescribeProblem(string key, DotEnvValueExpander.Problem problem) =>
        problem.Kind switch
        {
            DotEnvValueExpander.ProblemKind.UndefinedName =>
                $"the value of '{key}' refers to {key} itself (a self reference), but {key} has "
                + "no earlier definition to take a value from. Define it on an earlier line, or "
                + EscapeAdvice + ".",
            DotEnvValueExpander.ProblemKind.UnterminatedBrace =>
                $"the value of '{key}' contains '${{' without a closing '}}'. Add the '}}', or "
                + EscapeAdvice + ".",
            DotEnvValueExpander.ProblemKind.InvalidName =>
                $"the value of '{key}' contains a '${{...}}' reference whose name is not a valid "
                + "key. Write ${NAME} or ${NAME:-default}, where NAME starts with a letter or '_' "
                + "and contains only letters, digits, '_', '.' and '-', or " + EscapeAdvice + ".",
            DotEnvValueExpander.ProblemKind.InvalidProcessorVariableName =>
                $"the value of '{key}' contains a '${{env:...}}' reference whose variable name is "
                + "invalid. Write ${env:NAME}, where NAME starts with a letter or '_' and contains "
                + "only letters, digits and '_'.",
            DotEnvValueExpander.ProblemKind.ProcessorReferenceWithoutBraces =>
                $"the value of '{key}' contains '$env:' without braces. Write ${{env:NAME}} to use "
                + "a variable of the processor's environment, or " + EscapeAdvice + ".",
            DotEnvValueExpander.ProblemKind.ReferenceInDefault =>
                $"the default in a '${{NAME:-default}}' reference in the value of '{key}' contains "
                + "'${', but a default is literal text and cannot contain a reference. Define the "
                + "default as its own key above and reference that key instead.",
            _ => throw new ArgumentOutOfRangeException(nameof(problem), problem.Kind, null),
        };

    private string DescribeUndefinedReference(UndefinedReference reference)
    {
        // A bare '$' inside a password can look like a reference, so for keys that look secret
        // the message leaves out the name, which may be a fragment of the value.
        var isSecret = SecretKeyDetector.IsSecretKey(reference.Key);
        var target = isSecret
            ? $"a name that is not defined above this line (the name is not shown because "
                + $"'{reference.Key}' looks like a secret)"
            : $"'{reference.Name}', which is not defined above this line";
        var message = $"the value of '{reference.Key}' refers to {target}.";

        var laterLine = FindLaterDefinition(reference.Name, reference.LineNumber);
        if (laterLine is not null)
        {
            var laterKey = isSecret ? "that name" : $"'{reference.Name}'";
            return message + $" {Capitalize(laterKey)} is defined later, on line {laterLine}, but "
                + $"a reference can only use keys defined above it. Move the definition of "
                + $"{laterKey} above line {reference.LineNumber}.";
        }

        var name = isSecret ? "the referenced key" : reference.Name;
        return message + $" Define {name} on an earlier line, or " + EscapeAdvice + ".";
    }

    private int? FindLaterDefinition(string name, int lineNumber)
    {
        if (!_keyLines.TryGetValue(name, out var lines))
        {
            return null;
        }

        foreach (var line in lines)
        {
            if (line > lineNumber)
            {
                return line;
            }
        }

        return null;
    }

    private static string Capitalize(string text) =>
        text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    /// <summary>Cuts an unquoted value at " #" or "\t#" and trims its trailing blanks.</summary>
    private static string StripInlineComment(string raw)
    {
        for (var i = 1; i < raw.Length; i++)
        {
            if (raw[i] == '#' && DotEnvSyntax.IsBlank(raw[i - 1]))
            {
                raw = raw[..i];
                break;
            }
        }

        return raw.TrimEnd(' ', '\t');
    }

    /// <summary>
    /// Returns the index of the '\n' that ends the line containing <paramref name="from"/>, or
    /// the text length for the last line.
    /// </summary>
    private int FindLineEnd(int from)
    {
        var end = _text.IndexOf('\n', from);
        return end < 0 ? _text.Length : end;
    }

    private void AddError(int lineNumber, string message) =>
        _errors.Add(new DotEnvDiagnostic(_source, lineNumber, message));

    private sealed record UndefinedReference(string Key, string Name, int LineNumber);
}
