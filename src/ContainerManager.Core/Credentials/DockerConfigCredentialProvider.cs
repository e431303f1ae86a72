using System.Text;
using System.Text.Json;
using ContainerManager.Core.Errors;
using ContainerManager.Core.Execution;

namespace ContainerManager.Core.Credentials;

/// <summary>
/// Reads registry credentials from the docker CLI's config file, config.json in
/// $DOCKER_CONFIG or ~/.docker, as <c>docker login</c> writes them: base64 user:password
/// under <c>auths</c>. Credential helpers (<c>credsStore</c>, <c>credHelpers</c>) are
/// programs this module does not run, so for a registry that only they know the provider
/// returns a credential without a secret that names the helper.
/// </summary>
public sealed class DockerConfigCredentialProvider : IRegistryCredentialProvider
{
    private readonly string? _configFolder;

    /// <summary>
    /// Creates a provider for config.json in <paramref name="configFolder"/>; null looks up
    /// $DOCKER_CONFIG, then ~/.docker, on every call.
    /// </summary>
    public DockerConfigCredentialProvider(string? configFolder = null)
    {
        _configFolder = configFolder;
    }

    /// <summary>Path of the config file the next call reads.</summary>
    public string ConfigPath => Path.Combine(_configFolder ?? DefaultFolder(), "config.json");

    /// <inheritdoc />
    public async Task<RegistryCredential?> GetAsync(string registry, CancellationToken cancellationToken)
    {
        var path = ConfigPath;
        if (!File.Exists(path))
        {
            return null;
        }

        JsonDocument document;
        try
        {
            var text = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
            document = JsonDocument.Parse(text);
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            throw Invalid(path, $"it could not be read as JSON: {ex.Message}", ex);
        }

        using (document)
        {
            return Find(document.RootElement, registry, path);
        }
    }

    private static RegistryCredential? Find(JsonElement root, string registry, string path)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(path, "it is not a JSON object", null);
        }

        if (FindEntry(root, "credHelpers", registry) is { ValueKind: JsonValueKind.String } helper)
        {
            return HelperOnly(path, registry, helper.GetString());
        }

        var entry = FindEntry(root, "auths", registry);
        if (entry is not { ValueKind: JsonValueKind.Object } auth)
        {
            return null;
        }

        var credential = ReadEntry(auth, registry, path);
        if (credential is not null)
        {
            return credential;
        }

        // docker login with a credsStore leaves an empty entry here and keeps the secret in
        // the helper's store.
        if (root.TryGetProperty("credsStore", out var store) && store.ValueKind == JsonValueKind.String)
        {
            return HelperOnly(path, registry, store.GetString());
        }

        return null;
    }

    private static JsonElement? FindEntry(JsonElement root, string section, string registry)
    {
        if (!root.TryGetProperty(section, out var entries) || entries.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var entry in entries.EnumerateObject())
        {
            if (RegistryName.TryNormalize(entry.Name, out var name) && name == registry)
            {
                return entry.Value;
            }
        }

        return null;
    }

    private static RegistryCredential? ReadEntry(JsonElement entry, string registry, string path)
    {
        string? userName = null;
        string? password = null;
        if (entry.TryGetProperty("auth", out var auth) && auth.GetString() is { Length: > 0 } encoded)
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
            }
            catch (FormatException ex)
            {
                throw Invalid(path, $"the auth value for '{registry}' is not base64", ex);
            }

            var colon = decoded.IndexOf(':');
            if (colon <= 0)
            {
                throw Invalid(path, $"the auth value for '{registry}' does not decode to user:password", null);
            }

            userName = decoded[..colon];
            password = decoded[(colon + 1)..];
        }
        else if (entry.TryGetProperty("username", out var user) && user.GetString() is { Length: > 0 } name)
        {
            userName = name;
            password = entry.TryGetProperty("password", out var secret) ? secret.GetString() : null;
        }

        var identityToken = entry.TryGetProperty("identitytoken", out var token) ? token.GetString() : null;
        if (userName is null && string.IsNullOrEmpty(identityToken))
        {
            return null;
        }

        return new RegistryCredential
        {
            Registry = registry,
            UserName = userName ?? "",
            Password = password ?? "",
            IdentityToken = string.IsNullOrEmpty(identityToken) ? null : identityToken,
            Source = path,
        };
    }

    private static string DefaultFolder()
    {
        var fromEnvironment = System.Environment.GetEnvironmentVariable("DOCKER_CONFIG");
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return fromEnvironment;
        }

        var home = System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile);
        return Path.Combine(home, ".docker");
    }

    private static ExecutorException Invalid(string path, string reason, Exception? inner) =>
        new("DockerConfigInvalid", ErrorKind.InvalidData, FailureKind.Permanent,
            $"The Docker config file '{path}' is invalid: {reason}. Fix or remove the file, or run " +
            "docker login again.", path, inner);

    private static RegistryCredential HelperOnly(string path, string registry, string? helper) =>
        new()
        {
            Registry = registry,
            Source = path,
            CredentialHelper = string.IsNullOrEmpty(helper) ? "(unnamed)" : helper,
        };
}
