using System.Text.RegularExpressions;

namespace ContainerManager.Core.Execution;

/// <summary>
/// A parsed image reference, following the grammar of the distribution project's
/// reference package: <c>[registry[:port]/]path[:tag][@digest]</c>.
/// </summary>
public sealed partial class ImageReference
{
    private const string DefaultRegistry = "docker.io";

    // Maximum length of a repository name, registry included, that the engine accepts.
    private const int MaxNameLength = 255;

    private ImageReference(string original, string? registry, string path, string? tag, string? digest)
    {
        Original = original;
        Registry = registry;
        Path = path;
        Tag = tag;
        Digest = digest;
    }

    /// <summary>Reference as the user wrote it.</summary>
    public string Original { get; }

    /// <summary>Registry host and optional port; null means Docker Hub.</summary>
    public string? Registry { get; }

    /// <summary>Repository path without registry, for example <c>library/busybox</c>.</summary>
    public string Path { get; }

    /// <summary>Tag, or null when the reference has none.</summary>
    public string? Tag { get; }

    /// <summary>Content digest such as <c>sha256:…</c>, or null.</summary>
    public string? Digest { get; }

    /// <summary>Registry to authenticate against: <see cref="Registry"/>, or docker.io.</summary>
    public string RegistryOrDefault => Registry ?? DefaultRegistry;

    /// <summary>Repository with registry, as the engine's pull call takes it in fromImage.</summary>
    public string Repository => Registry is null ? Path : $"{Registry}/{Path}";

    /// <summary>
    /// Tag or digest to pull: the digest wins over the tag, and a reference with neither
    /// pulls <c>latest</c> as the docker CLI does.
    /// </summary>
    public string PullTag => Digest ?? Tag ?? "latest";

    /// <summary>Parses a reference, or returns false with the reason it is invalid.</summary>
    public static bool TryParse(string? text, out ImageReference? reference, out string? error)
    {
        reference = null;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "the image reference is empty";
            return false;
        }

        var match = ReferencePattern().Match(text);
        if (!match.Success)
        {
            error = "it does not match [registry[:port]/]name[:tag][@sha256:digest] " +
                "with a lower-case name";
            return false;
        }

        var name = match.Groups["name"].Value;
        string? registry = null;
        var firstSlash = name.IndexOf('/');
        if (firstSlash > 0)
        {
            // The first component is a registry only if it looks like a host: it has a
            // dot or a port, or is localhost. Otherwise it is part of the path (user/repo).
            var first = name[..firstSlash];
            if (first.Contains('.') || first.Contains(':') || first == "localhost")
            {
                registry = first;
                name = name[(firstSlash + 1)..];
            }
        }

        if (name.Contains(':'))
        {
            error = "a port is only allowed in the registry part";
            return false;
        }

        if (name.Any(char.IsUpper))
        {
            error = "repository names must be lower-case";
            return false;
        }

        // The engine rejects a repository name, registry included, of more than 255 characters.
        var fullName = match.Groups["name"].Value;
        if (fullName.Length > MaxNameLength)
        {
            error = $"the repository name has {fullName.Length} characters, more than the {MaxNameLength} allowed";
            return false;
        }

        var tag = match.Groups["tag"].Success ? match.Groups["tag"].Value : null;
        var digest = match.Groups["digest"].Success ? match.Groups["digest"].Value : null;
        reference = new ImageReference(text, registry, name, tag, digest);
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => Original;

    // name: optional host[:port]/ then path components; tag up to 128 ASCII word characters,
    // dots and dashes; digest algorithm:hex with at least 32 hex digits.
    [GeneratedRegex(
        @"^(?<name>(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?/)?" +
        @"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)" +
        @"(?::(?<tag>[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?" +
        @"(?:@(?<digest>[a-z0-9]+(?:[+._-][a-z0-9]+)*:[0-9a-fA-F]{32,}))?$",
        RegexOptions.CultureInvariant)]
    private static partial Regex ReferencePattern();
}
