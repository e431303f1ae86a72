namespace ContainerManager.Core.Credentials;

/// <summary>
/// Secret that lets an engine pull from one registry. Hand it only to the engine: it is
/// never shown, logged or written to a job's history.
/// </summary>
public sealed class RegistryCredential
{
    /// <summary>Registry host and optional port, normalized by <see cref="RegistryName"/>.</summary>
    public required string Registry { get; init; }

    /// <summary>User name; empty when only an identity token is known.</summary>
    public string UserName { get; init; } = "";

    /// <summary>Password or access token.</summary>
    public string Password { get; init; } = "";

    /// <summary>OAuth refresh token that a Docker config file may hold instead of a password.</summary>
    public string? IdentityToken { get; init; }

    /// <summary>Where the credential came from, for messages: the store or a config file path.</summary>
    public required string Source { get; init; }

    /// <summary>
    /// Docker credential helper that keeps the secret, such as desktop or ecr-login, or null.
    /// The module does not run helpers, so such a credential has no secret: pulls go out
    /// anonymously and an access denial names the helper and the fix.
    /// </summary>
    public string? CredentialHelper { get; init; }

    /// <summary>Whether the credential carries a secret the engine can use.</summary>
    public bool IsUsable => CredentialHelper is null;

    /// <summary>Returns the registry, user and source, never the secret.</summary>
    public override string ToString() => $"{UserName}@{Registry} from {Source}";
}
