using System.Globalization;
using System.Text;
using ContainerManager.Core.Errors;

namespace ContainerManager.Core.Templates;

/// <summary>
/// The .env text of an environment template together with where it came from. Create it with
/// <see cref="FromFile"/>, <see cref="FromText"/> or <see cref="FromVariables"/>.
/// </summary>
/// <remarks>
/// <see cref="Text"/> contains secret values as written, so <see cref="ToString"/> leaves it out.
/// </remarks>
public sealed class EnvironmentTemplateContent
{
    /// <summary>Source name used in diagnostics for text given directly.</summary>
    public const string TextSourceName = "<text>";

    /// <summary>Source name used in diagnostics for text generated from a hashtable.</summary>
    public const string HashtableSourceName = "<hashtable>";

    /// <summary>
    /// Maximum template text size in UTF-8 bytes. A job's whole environment must fit in 1 MiB
    /// anyway, so a larger template could never be used.
    /// </summary>
    public const int MaxTextBytes = 1024 * 1024;

    private EnvironmentTemplateContent(string text, EnvironmentTemplateSource source, string? sourcePath)
    {
        var bytes = Encoding.UTF8.GetByteCount(text);
        if (bytes > MaxTextBytes)
        {
            throw TooLarge(sourcePath ?? (source == EnvironmentTemplateSource.Text ? TextSourceName : HashtableSourceName),
                $"{bytes.ToString("N0", CultureInfo.InvariantCulture)} bytes");
        }

        Text = text;
        Source = source;
        SourcePath = sourcePath;
    }

    /// <summary>The .env text, unmasked.</summary>
    public string Text { get; }

    /// <summary>Kind of input the text came from.</summary>
    public EnvironmentTemplateSource Source { get; }

    /// <summary>Full path of the file for <see cref="EnvironmentTemplateSource.File"/>, else null.</summary>
    public string? SourcePath { get; }

    /// <summary>Name of the input in parser diagnostics: the file path, <c>&lt;text&gt;</c> or <c>&lt;hashtable&gt;</c>.</summary>
    public string SourceName => Source switch
    {
        EnvironmentTemplateSource.File => SourcePath!,
        EnvironmentTemplateSource.Hashtable => HashtableSourceName,
        _ => TextSourceName,
    };

    /// <summary>Reads a .env file as UTF-8.</summary>
    /// <param name="path">Full path of the file.</param>
    /// <exception cref="ContainerManagerException">
    /// TemplateFileNotFound when the file does not exist; TemplateFileUnreadable when it cannot
    /// be read.
    /// </exception>
    public static EnvironmentTemplateContent FromFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);

        var fullPath = Path.GetFullPath(path);
        try
        {
            // Reads at most one byte past the limit, so that a huge file or a device such as
            // /dev/zero is rejected without being read whole.
            using var stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var buffer = new byte[MaxTextBytes + 1];
            var length = 0;
            int read;
            while (length < buffer.Length && (read = stream.Read(buffer, length, buffer.Length - length)) > 0)
            {
                length += read;
            }

            if (length > MaxTextBytes)
            {
                throw TooLarge(fullPath, $"more than {MaxTextBytes.ToString("N0", CultureInfo.InvariantCulture)} bytes");
            }

            // Decodes as File.ReadAllText does: UTF-8 unless a byte order mark names another encoding.
            using var reader = new StreamReader(new MemoryStream(buffer, 0, length), Encoding.UTF8, true);
            return new EnvironmentTemplateContent(reader.ReadToEnd(), EnvironmentTemplateSource.File, fullPath);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ContainerManagerException(
                TemplateErrors.FileNotFoundId,
                ErrorKind.ObjectNotFound,
                $"The environment template file '{fullPath}' does not exist. Check the path.",
                fullPath,
                ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ContainerManagerException(
                TemplateErrors.FileUnreadableId,
                ex is UnauthorizedAccessException ? ErrorKind.PermissionDenied : ErrorKind.ResourceUnavailable,
                $"The environment template file '{fullPath}' could not be read: {ex.Message}",
                fullPath,
                ex);
        }
    }

    private static ContainerManagerException TooLarge(string source, string size) =>
        new(
            TemplateErrors.TooLargeId,
            ErrorKind.InvalidArgument,
            $"The environment template '{source}' has {size}, more than the " +
            $"{MaxTextBytes.ToString("N0", CultureInfo.InvariantCulture)} allowed. Split it into smaller " +
            "templates, or keep large data in a file or volume instead of the environment.",
            source);

    /// <summary>Wraps .env text given directly.</summary>
    /// <param name="text">The .env text.</param>
    public static EnvironmentTemplateContent FromText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);

        return new EnvironmentTemplateContent(text, EnvironmentTemplateSource.Text, null);
    }

    /// <summary>
    /// Writes <paramref name="variables"/> as .env text, one double-quoted definition per line
    /// in the given order, so that parsing the text gives back exactly the same values.
    /// </summary>
    /// <remarks>
    /// A <c>$</c> is escaped, so a value is never expanded as a reference to another key. A value
    /// that contains <c>${env:NAME}</c> is still resolved from the processor's environment at
    /// launch, as a value given with New-ContainerJob -Environment is.
    /// </remarks>
    /// <param name="variables">Names and values.</param>
    /// <exception cref="ContainerManagerException">
    /// InvalidEnvironmentTemplate when a name is not a valid key; the message lists every
    /// invalid name.
    /// </exception>
    public static EnvironmentTemplateContent FromVariables(IEnumerable<KeyValuePair<string, string>> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);

        var text = new StringBuilder();
        var invalidKeys = new List<string>();
        foreach (var (key, value) in variables)
        {
            if (!DotEnvSyntax.IsValidKey(key))
            {
                invalidKeys.Add(key);
                continue;
            }

            text.Append(key).Append("=\"").Append(EscapeDoubleQuoted(value ?? "")).Append("\"\n");
        }

        if (invalidKeys.Count > 0)
        {
            throw TemplateErrors.InvalidHashtableKeys(invalidKeys);
        }

        return new EnvironmentTemplateContent(text.ToString(), EnvironmentTemplateSource.Hashtable, null);
    }

    /// <summary>Parses <see cref="Text"/>, naming <see cref="SourceName"/> in diagnostics.</summary>
    public DotEnvDocument Parse() => DotEnvParser.Parse(Text, SourceName);

    /// <summary>Formats the content as its source name, without the text.</summary>
    public override string ToString() => SourceName;

    /// <summary>
    /// Restores a stored content. The text is not parsed here; the caller parses it when it
    /// builds the template.
    /// </summary>
    internal static EnvironmentTemplateContent Restore(string text, EnvironmentTemplateSource source, string? sourcePath) =>
        new(text, source, sourcePath);

    private static string EscapeDoubleQuoted(string value)
    {
        var escaped = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            escaped.Append(c switch
            {
                '\\' => "\\\\",
                '"' => "\\\"",
                '$' => "\\$",
                '\n' => "\\n",
                '\r' => "\\r",
                _ => c.ToString(CultureInfo.InvariantCulture),
            });
        }

        return escaped.ToString();
    }
}
