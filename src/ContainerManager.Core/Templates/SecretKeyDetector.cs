namespace ContainerManager.Core.Templates;

/// <summary>
/// Guesses from a variable name whether its value is a secret that must not be shown.
/// </summary>
/// <remarks>
/// <para>
/// The key is split into segments at <c>_</c>, <c>-</c>, <c>.</c>, <c>:</c> and spaces, at
/// camelCase boundaries (<c>apiKey</c>, <c>APIKey</c>) and between letters and digits.
/// Matching ignores case. A key is secret when:
/// </para>
/// <list type="bullet">
/// <item>a segment is one of PASSWORD, PASSWD, PWD, PASS, PASSPHRASE, SECRET, TOKEN, KEY,
/// CREDENTIAL, CRED, AUTH, AUTHORIZATION, BEARER, JWT, CERT, DSN, SALT, COOKIE, SESSION,
/// SIGNATURE or PRIVATE, optionally with a plural S (<c>KEYS</c>, <c>TOKENS</c>), or</item>
/// <item>the segments joined without separators contain PASSWORD, PASSWD, PASSPHRASE, SECRET,
/// CREDENTIAL, APIKEY, ACCESSKEY, PRIVATEKEY, AUTHTOKEN, ACCESSTOKEN or CONNECTIONSTRING. This
/// catches run-together names such as <c>DBPASSWORD</c> and <c>CONNECTION_STRING</c>.</item>
/// </list>
/// <para>
/// Short words such as KEY and TOKEN count only as whole segments, so <c>MONKEY</c>,
/// <c>KEYBOARD_LAYOUT</c> and <c>TOKENIZERS_PARALLELISM</c> are not secret. The rules lean
/// towards masking: <c>PWD</c> (also the shell's working directory) and <c>SORT_KEY</c> are
/// masked, which only hides a harmless value.
/// </para>
/// </remarks>
public static class SecretKeyDetector
{
    private static readonly HashSet<string> _secretSegments = new(StringComparer.OrdinalIgnoreCase)
    {
        "PASSWORD", "PASSWD", "PWD", "PASS", "PASSPHRASE", "SECRET", "TOKEN", "KEY",
        "CREDENTIAL", "CRED", "AUTH", "AUTHORIZATION", "BEARER", "JWT", "CERT", "DSN", "SALT",
        "COOKIE", "SESSION", "SIGNATURE", "PRIVATE",
    };

    private static readonly string[] _secretSubstrings =
    [
        "PASSWORD", "PASSWD", "PASSPHRASE", "SECRET", "CREDENTIAL", "APIKEY", "ACCESSKEY",
        "PRIVATEKEY", "AUTHTOKEN", "ACCESSTOKEN", "CONNECTIONSTRING",
    ];

    /// <summary>Returns whether <paramref name="key"/> names a variable that likely is a secret.</summary>
    /// <param name="key">Variable name in any naming style. An empty name is not secret.</param>
    public static bool IsSecretKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);

        var segments = SplitIntoSegments(key);
        foreach (var segment in segments)
        {
            if (IsSecretSegment(segment))
            {
                return true;
            }
        }

        var joined = string.Concat(segments);
        foreach (var word in _secretSubstrings)
        {
            if (joined.Contains(word, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsSecretSegment(string segment)
    {
        if (_secretSegments.Contains(segment))
        {
            return true;
        }

        var isPlural = segment.Length > 1 && (segment[^1] is 's' or 'S');
        return isPlural && _secretSegments.Contains(segment[..^1]);
    }

    /// <summary>Splits a key at separators, camelCase boundaries and letter-digit boundaries.</summary>
    internal static List<string> SplitIntoSegments(string key)
    {
        var segments = new List<string>();
        var start = 0;
        for (var i = 0; i <= key.Length; i++)
        {
            if (i == key.Length || IsSeparator(key[i]))
            {
                AddSegment(segments, key, start, i);
                start = i + 1;
                continue;
            }

            if (i > start && StartsNewSegment(key, i))
            {
                AddSegment(segments, key, start, i);
                start = i;
            }
        }

        return segments;
    }

    private static bool IsSeparator(char c) => c is '_' or '-' or '.' or ':' or ' ';

    /// <summary>
    /// Returns whether a segment starts at <paramref name="i"/>: "apiKey" splits before 'K',
    /// "APIKey" before 'K' (the last capital of an acronym starts the next word), and "KEY2"
    /// before '2'.
    /// </summary>
    private static bool StartsNewSegment(string key, int i)
    {
        var previous = key[i - 1];
        var current = key[i];
        if (char.IsLower(previous) && char.IsUpper(current))
        {
            return true;
        }

        var nextIsLower = i + 1 < key.Length && char.IsLower(key[i + 1]);
        if (char.IsUpper(previous) && char.IsUpper(current) && nextIsLower)
        {
            return true;
        }

        return char.IsDigit(previous) != char.IsDigit(current)
            && char.IsLetterOrDigit(previous)
            && char.IsLetterOrDigit(current);
    }

    private static void AddSegment(List<string> segments, string key, int start, int end)
    {
        if (end > start)
        {
            segments.Add(key[start..end]);
        }
    }
}
