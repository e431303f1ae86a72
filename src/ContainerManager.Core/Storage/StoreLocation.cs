namespace ContainerManager.Core.Storage;

/// <summary>Finds the job store file when the caller does not name one.</summary>
public static class StoreLocation
{
    /// <summary>Environment variable that overrides the default store path.</summary>
    public const string EnvironmentVariable = "CONTAINER_MANAGER_DB";

    /// <summary>
    /// Returns <paramref name="explicitPath"/> if given, else $CONTAINER_MANAGER_DB, else
    /// jobs.db in the per-user data folder (~/.local/share/ContainerManager on Linux,
    /// %LOCALAPPDATA%\ContainerManager on Windows). The result is a full path.
    /// </summary>
    public static string Resolve(string? explicitPath)
    {
        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            return Path.GetFullPath(explicitPath);
        }

        var fromEnvironment = System.Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return Path.GetFullPath(fromEnvironment);
        }

        var dataFolder = System.Environment.GetFolderPath(
            System.Environment.SpecialFolder.LocalApplicationData,
            System.Environment.SpecialFolderOption.DoNotVerify);
        return Path.Combine(dataFolder, "ContainerManager", "jobs.db");
    }
}
