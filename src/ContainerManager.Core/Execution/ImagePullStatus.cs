namespace ContainerManager.Core.Execution;

/// <summary>Outcome of pulling an image onto one engine ahead of time.</summary>
public enum ImagePullStatus
{
    /// <summary>The engine pulled the image.</summary>
    Pulled,

    /// <summary>The engine had the image, and the host's pull policy does not pull again.</summary>
    AlreadyPresent,

    /// <summary>The pull failed. The result's Error contains the reason.</summary>
    Failed,
}
