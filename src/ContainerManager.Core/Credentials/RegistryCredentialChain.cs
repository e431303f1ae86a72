namespace ContainerManager.Core.Credentials;

/// <summary>
/// Asks several providers in order and returns the first usable credential. A credential
/// that only names a credential helper is returned when no provider has a usable one.
/// </summary>
public sealed class RegistryCredentialChain : IRegistryCredentialProvider
{
    private readonly IReadOnlyList<IRegistryCredentialProvider> _providers;

    /// <summary>Creates a chain; earlier providers win.</summary>
    public RegistryCredentialChain(params IRegistryCredentialProvider[] providers)
    {
        _providers = providers;
    }

    /// <inheritdoc />
    public async Task<RegistryCredential?> GetAsync(string registry, CancellationToken cancellationToken)
    {
        RegistryCredential? helperOnly = null;
        foreach (var provider in _providers)
        {
            var credential = await provider.GetAsync(registry, cancellationToken).ConfigureAwait(false);
            if (credential is { IsUsable: true })
            {
                return credential;
            }

            helperOnly ??= credential;
        }

        return helperOnly;
    }
}
