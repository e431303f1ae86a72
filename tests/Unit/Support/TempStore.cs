using ContainerManager.Core.Storage;
using Microsoft.Data.Sqlite;

namespace ContainerManager.Tests.Support;

/// <summary>A real SQLite store in a fresh temporary folder, deleted on dispose.</summary>
public sealed class TempStore : IDisposable
{
    public TempStore()
    {
        Folder = Directory.CreateTempSubdirectory("cm-unit-").FullName;
        Path = System.IO.Path.Combine(Folder, "jobs.db");
        Store = SqliteJobStore.Open(Path);
    }

    public string Folder { get; }

    public string Path { get; }

    public SqliteJobStore Store { get; }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(Folder, recursive: true);
    }
}
