namespace ContainerManager.Core.Execution;

/// <summary>Progress of an image pull, summed over the image's layers.</summary>
/// <param name="Status">Latest status line of the engine, such as "Downloading" or "Pull complete".</param>
/// <param name="DownloadedBytes">Bytes downloaded so far over the layers whose size the engine reported.</param>
/// <param name="TotalBytes">Size of those layers; 0 until the engine reports one.</param>
public sealed record ImagePullProgress(string Status, long DownloadedBytes, long TotalBytes)
{
    /// <summary>Percentage downloaded, or -1 while no layer size is known.</summary>
    public int PercentComplete =>
        TotalBytes > 0 ? (int)Math.Clamp(DownloadedBytes * 100 / TotalBytes, 0, 100) : -1;
}
