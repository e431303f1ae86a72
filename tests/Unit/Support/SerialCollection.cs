namespace ContainerManager.Tests.Support;

/// <summary>
/// Tests that must not overlap with others: they watch the file system, and any test's
/// TempStore.Dispose closes every pooled SQLite connection, which checkpoints other stores.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "Serial";
}
