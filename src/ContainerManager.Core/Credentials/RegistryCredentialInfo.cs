namespace ContainerManager.Core.Credentials;

/// <summary>A stored registry credential as listed to users: everything except the password.</summary>
public sealed class RegistryCredentialInfo
{
    /// <summary>Registry host and optional port, such as registry.example:5000 or docker.io.</summary>
    public required string Registry { get; init; }

    /// <summary>User name.</summary>
    public required string UserName { get; init; }

    /// <summary>Time the credential was first stored.</summary>
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Time the credential was last replaced.</summary>
    public DateTimeOffset UpdatedAt { get; init; }
}
