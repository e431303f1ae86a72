namespace ContainerManager.Core.Hosts;

/// <summary>Kind of engine an executor host runs jobs on.</summary>
public enum ExecutorHostType
{
    /// <summary>A Docker engine reached through the Docker Engine API.</summary>
    Docker,

    /// <summary>Google Cloud Run jobs. Reserved: hosts of this type cannot be stored yet.</summary>
    CloudRun,
}
