namespace ContainerManager.Core.Storage;

/// <summary>A due job chosen for a host, to be claimed only if the host still has room.</summary>
/// <param name="JobId">Job to claim.</param>
/// <param name="HostName">Host the job will run on.</param>
/// <param name="HostLimit">Jobs the host may have Launching or Running at once.</param>
public sealed record JobPlacement(long JobId, string HostName, int HostLimit);
