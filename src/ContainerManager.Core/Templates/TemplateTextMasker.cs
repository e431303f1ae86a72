using System.Text;

namespace ContainerManager.Core.Templates;

/// <summary>Produces the displayed form of a template's .env text, with secret values hidden.</summary>
internal static class TemplateTextMasker
{
    /// <summary>
    /// Returns <paramref name="text"/> with every definition of a secret key shortened to
    /// <c>KEY=********</c>, including all lines of a multi-line value, and every other
    /// occurrence of a secret value (in a comment, say) replaced by <see cref="SecretMask.Mask"/>.
    /// Other lines keep their text and line endings.
    /// </summary>
    /// <param name="text">The .env text that <paramref name="document"/> was parsed from.</param>
    /// <param name="document">Parse result of the text; only its entries are used.</param>
    /// <param name="declaredSecretKeys">Keys declared secret.</param>
    public static string Mask(
        string text,
        DotEnvDocument document,
        IReadOnlyCollection<string> declaredSecretKeys)
    {
        var secretLines = new Dictionary<int, int>();
        var secretValues = new List<string>();
        foreach (var entry in document.Entries)
        {
            if (SecretMask.IsSecret(entry.Key, declaredSecretKeys))
            {
                secretLines[entry.LineNumber] = Math.Max(entry.LineNumber, entry.LastLineNumber);
                secretValues.Add(entry.Value);
            }
        }

        var lines = SplitLines(text);
        var masked = new StringBuilder(text.Length);
        for (var index = 0; index < lines.Count; index++)
        {
            var (content, terminator) = lines[index];
            if (!secretLines.TryGetValue(index + 1, out var lastLine))
            {
                masked.Append(content).Append(terminator);
                continue;
            }

            // The key part up to '=' stays, so the reader still sees which key is defined.
            var equals = content.IndexOf('=', StringComparison.Ordinal);
            masked.Append(content, 0, equals + 1).Append(SecretMask.Mask);
            index = Math.Min(lastLine, lines.Count) - 1;
            masked.Append(lines[index].Terminator);
        }

        return SecretMask.Redact(masked.ToString(), secretValues);
    }

    /// <summary>
    /// Splits text into lines the way the parser numbers them: CRLF, LF and a lone CR each end
    /// a line. Each line keeps its terminator, so joining the parts gives the text back.
    /// </summary>
    private static List<(string Content, string Terminator)> SplitLines(string text)
    {
        var lines = new List<(string, string)>();
        var start = 0;
        var position = 0;
        while (position < text.Length)
        {
            var c = text[position];
            if (c != '\n' && c != '\r')
            {
                position++;
                continue;
            }

            var length = c == '\r' && position + 1 < text.Length && text[position + 1] == '\n' ? 2 : 1;
            lines.Add((text[start..position], text.Substring(position, length)));
            position += length;
            start = position;
        }

        if (start < text.Length)
        {
            lines.Add((text[start..], ""));
        }

        return lines;
    }
}
