namespace ContainerManager.Core.Execution;

/// <summary>Whether trying the same launch again can succeed.</summary>
public enum FailureKind
{
    /// <summary>Engine unreachable, engine timeout, registry hiccup: a later attempt may work.</summary>
    Transient,

    /// <summary>Image not found, access denied, invalid configuration: retrying cannot help.</summary>
    Permanent,
}
