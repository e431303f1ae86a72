using System.Text.RegularExpressions;
using ContainerManager.Core.Errors;

namespace ContainerManager.Core.Jobs;

/// <summary>
/// Checks and parses the container options of a job: working directory, user, network,
/// labels, named volumes and bind mounts. Every check throws InvalidArgument naming the value
/// and the expected form.
/// </summary>
internal static partial class ContainerOptionRules
{
    /// <summary>Label prefix reserved for the labels the processor sets itself.</summary>
    public const string ReservedLabelPrefix = "containermanager.";

    public static void ValidateWorkingDirectory(string? path)
    {
        if (path is not null && (!path.StartsWith('/') || path.Contains('\0')))
        {
            throw Invalid("InvalidWorkingDirectory",
                $"The working directory '{path}' is invalid. Give an absolute path inside the container, " +
                "such as /work.", path);
        }
    }

    public static void ValidateUser(string? user)
    {
        if (user is not null && !UserPattern().IsMatch(user))
        {
            throw Invalid("InvalidUser",
                $"The user '{user}' is invalid. Give a user name or uid, optionally with a group name or " +
                "gid, such as 1000, nobody or 1000:1000.", user);
        }
    }

    public static void ValidateNetwork(string? network)
    {
        if (network is not null && !NamePattern().IsMatch(network))
        {
            throw Invalid("InvalidNetwork",
                $"The network '{network}' is invalid. Give the name of a network on the engine, or none " +
                "for a container without network.", network);
        }
    }

    public static void ValidateLabels(IReadOnlyDictionary<string, string> labels)
    {
        foreach (var key in labels.Keys)
        {
            if (key.Length == 0 || key.Contains('=') || key.Contains('\0'))
            {
                throw Invalid("InvalidLabel",
                    $"The label name '{key}' is invalid. Names must be non-empty and contain no '=' or NUL " +
                    "character, such as team or com.example.owner.", key);
            }

            if (key.StartsWith(ReservedLabelPrefix, StringComparison.OrdinalIgnoreCase))
            {
                throw Invalid("ReservedLabel",
                    $"The label name '{key}' starts with '{ReservedLabelPrefix}', which is reserved for the " +
                    "labels ContainerManager sets itself. Choose another name.", key);
            }
        }
    }

    public static void ValidateVolume(string volume)
    {
        if (!TryParseMount(volume, out var source, out _, out _) || !NamePattern().IsMatch(source))
        {
            throw Invalid("InvalidVolume",
                $"The volume '{volume}' is invalid. Give name:/path/in/container or " +
                "name:/path/in/container:ro, where the name has letters, digits, '_', '.' or '-'.", volume);
        }
    }

    public static void ValidateBindMount(string bindMount)
    {
        if (!TryParseMount(bindMount, out var source, out _, out _) || !source.StartsWith('/'))
        {
            throw Invalid("InvalidBindMount",
                $"The bind mount '{bindMount}' is invalid. Give /host/path:/container/path or " +
                "/host/path:/container/path:ro, with absolute paths on both sides.", bindMount);
        }
    }

    /// <summary>
    /// Splits source:target[:ro|rw]. The target must be absolute, and neither part may contain
    /// a ':', because the engine's mount syntax has no escape for it.
    /// </summary>
    public static bool TryParseMount(string text, out string source, out string target, out bool readOnly)
    {
        source = "";
        target = "";
        readOnly = false;
        var parts = text.Split(':');
        if (parts.Length is < 2 or > 3 || text.Contains('\0'))
        {
            return false;
        }

        if (parts.Length == 3)
        {
            if (parts[2] is not ("ro" or "rw"))
            {
                return false;
            }

            readOnly = parts[2] == "ro";
        }

        source = parts[0];
        target = parts[1];
        return source.Length > 0 && target.StartsWith('/');
    }

    private static ContainerManagerException Invalid(string errorId, string message, object target) =>
        new(errorId, ErrorKind.InvalidArgument, message, target);

    // Engine rule for volume and network names: a letter or digit, then letters, digits, '_', '.', '-'.
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]*(:[A-Za-z0-9_][A-Za-z0-9_.-]*)?$")]
    private static partial Regex UserPattern();
}
