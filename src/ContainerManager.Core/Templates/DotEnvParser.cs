namespace ContainerManager.Core.Templates;

/// <summary>
/// Parser for environment templates in the <c>.env</c> format that docker compose,
/// python-dotenv and the Node dotenv packages read, with the rules below where those tools
/// differ.
/// </summary>
/// <remarks>
/// <para>
/// Lines: blank lines and lines whose first non-blank character is <c>#</c> are ignored.
/// Every other line must be <c>KEY=VALUE</c>, optionally prefixed by <c>export </c>, with
/// spaces or tabs allowed around <c>=</c>. Keys match <c>[A-Za-z_][A-Za-z0-9_.-]*</c> and are
/// case-sensitive. A UTF-8 byte order mark (U+FEFF) at the start is skipped, and CRLF and a
/// lone CR both end a line. "Blank" means spaces and tabs only.
/// </para>
/// <para>
/// Unquoted values end at the end of the line and are trimmed. A <c>#</c> after a blank starts
/// a comment, so <c>A=x # note</c> is <c>x</c> and <c>A= # note</c> is empty, but
/// <c>A=a#b</c> keeps the <c>#</c>. Backslashes are literal except <c>\$</c>, which is a
/// literal <c>$</c>.
/// </para>
/// <para>
/// Single-quoted values are literal: no escapes and no references, so <c>'it\'s'</c> is an
/// error. Double-quoted values decode <c>\n</c>, <c>\r</c>, <c>\t</c>, <c>\"</c>, <c>\\</c>
/// and <c>\$</c>. Any other backslash pair is kept as written, so <c>"C:\data"</c> stays
/// <c>C:\data</c>. Both kinds of quoted value may span lines, and each line break inside them
/// becomes <c>\n</c>. After the closing quote only blanks and a <c>#</c> comment may follow.
/// <c>A=</c>, <c>A=""</c> and <c>A=''</c> all give the empty string.
/// </para>
/// <para>
/// References, in unquoted and double-quoted values only: <c>${NAME}</c> and <c>$NAME</c> are
/// replaced by the value of a key defined on an earlier line. The bare form takes the longest
/// run of <c>[A-Za-z0-9_]</c>, so <c>$HOST.local</c> refers to <c>HOST</c>. A <c>$</c> not
/// followed by a name or <c>{</c> is literal. <c>${NAME:-default}</c> uses the literal text
/// <c>default</c> when NAME is not defined above or is empty, and the default cannot contain
/// <c>}</c> or <c>${</c>. A name that is not defined above is an error, including a key that
/// refers to itself on its first definition and a key defined only further down. A
/// redefinition may use the earlier value, so <c>A=x</c> then <c>A=${A}y</c> gives <c>xy</c>.
/// </para>
/// <para>
/// <c>${env:NAME}</c> (the <c>env</c> prefix in any letter case) names a variable of the
/// processor's environment. The parser keeps it unchanged in the value and
/// <see cref="EnvironmentReferenceResolver"/> replaces it at launch time. NAME must match
/// <c>[A-Za-z_][A-Za-z0-9_]*</c>. The resolver reads only final values, so this text is a
/// processor reference even when it comes from a single-quoted value or from <c>\${env:X}</c>.
/// NOTE: A job therefore cannot get the literal text <c>${env:NAME}</c> from a template.
/// </para>
/// <para>
/// Duplicate keys: the last definition wins and each redefinition adds a warning naming both
/// lines. Errors: the parser does not stop at the first error. Each malformed line or failed
/// reference adds an error with its line number, and such a line produces no entry. Messages
/// quote no value text except a referenced name. That name is left out when the key looks like
/// a secret (see <see cref="SecretKeyDetector"/>), because a stray <c>$</c> in a password makes
/// part of it look like a name.
/// </para>
/// </remarks>
public static class DotEnvParser
{
    /// <summary>Parses <paramref name="text"/> and collects all its errors and warnings.</summary>
    /// <param name="text">Template text. Read files as UTF-8 before passing them.</param>
    /// <param name="source">File path or other name of the template, used in diagnostics.</param>
    /// <returns>
    /// The document. It is returned even when the text has errors, so call
    /// <see cref="DotEnvDocument.ThrowIfInvalid"/> to turn them into an exception.
    /// </returns>
    public static DotEnvDocument Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(source);

        return new DotEnvReader(text, source).Read();
    }
}
