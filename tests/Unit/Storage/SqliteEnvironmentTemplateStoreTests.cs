using System.Globalization;
using ContainerManager.Core.Errors;
using ContainerManager.Core.Jobs;
using ContainerManager.Core.Storage;
using ContainerManager.Core.Templates;
using ContainerManager.Tests.Support;
using Microsoft.Data.Sqlite;

namespace ContainerManager.Tests.Storage;

public class SqliteEnvironmentTemplateStoreTests
{
    private const string Secret = "correct-horse-battery";

    private const string AppText =
        "# app\nAPP_MODE=production\nDB_PASSWORD=" + Secret + "\nDB_URL=postgres://app:${DB_PASSWORD}@db/app\n";

    [Fact]
    public async Task CreateTemplate_ThenGet_RoundTripsEveryField()
    {
        using var temp = new TempStore();
        var store = new SqliteEnvironmentTemplateStore(temp.Store);
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        await store.CreateTemplateAsync(
            "web", EnvironmentTemplateContent.FromText(AppText), "web app", ["APP_MODE"], default);
        var template = await store.GetTemplateAsync("web", default);

        Assert.NotNull(template);
        Assert.Equal("web", template.Name);
        Assert.Equal("web app", template.Description);
        Assert.Equal(EnvironmentTemplateSource.Text, template.Source);
        Assert.Null(template.SourcePath);
        Assert.Equal(["APP_MODE"], template.SecretKeys);
        Assert.Equal(["APP_MODE", "DB_PASSWORD", "DB_URL"], template.Variables.Keys);
        Assert.Equal(SecretMask.Mask, template.Variables["APP_MODE"]);
        Assert.Equal(SecretMask.Mask, template.Variables["DB_PASSWORD"]);
        Assert.Equal("postgres://app:********@db/app", template.Variables["DB_URL"]);
        Assert.Equal(
            "# app\nAPP_MODE=********\nDB_PASSWORD=********\nDB_URL=postgres://app:${DB_PASSWORD}@db/app\n",
            template.Text);
        Assert.InRange(template.CreatedAt, before, DateTimeOffset.UtcNow);
        Assert.Equal(template.CreatedAt, template.UpdatedAt);
    }

    [Fact]
    public async Task CreateTemplate_FromFile_KeepsFullPathAndRealValues()
    {
        using var temp = new TempStore();
        var store = new SqliteEnvironmentTemplateStore(temp.Store);
        var path = Path.Combine(temp.Folder, "app.env");
        File.WriteAllText(path, AppText);

        var created = await store.CreateTemplateAsync(
            "web", EnvironmentTemplateContent.FromFile(path), null, [], default);
        var template = await store.GetTemplateAsync("web", default);

        Assert.Equal(EnvironmentTemplateSource.File, template!.Source);
        Assert.Equal(path, template.SourcePath);
        Assert.Null(template.Description);
        Assert.Equal(Secret, template.VariableValues["DB_PASSWORD"]);
        Assert.Equal($"postgres://app:{Secret}@db/app", template.VariableValues["DB_URL"]);
        Assert.Equal(AppText, template.Content.Text);
        Assert.Equal(created.Text, template.Text);
    }

    [Fact]
    public async Task StoredText_ContainsSecretButNoReadShowsIt()
    {
        using var temp = new TempStore();
        var store = new SqliteEnvironmentTemplateStore(temp.Store);

        await store.CreateTemplateAsync("web", EnvironmentTemplateContent.FromText(AppText), null, [], default);
        var rawText = ReadScalar(temp.Path, "SELECT text FROM environment_templates");
        var listed = await store.ListTemplatesAsync(default);

        Assert.Contains(Secret, rawText);
        Assert.DoesNotContain(Secret, listed[0].Text);
        Assert.DoesNotContain(Secret, string.Join("\n", listed[0].Variables.Values));
    }

    [Fact]
    public async Task StoreFileAndJournal_AreReadableByOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var temp = new TempStore();
        var store = new SqliteEnvironmentTemplateStore(temp.Store);

        await store.CreateTemplateAsync("web", EnvironmentTemplateContent.FromText(AppText), null, [], default);
        var ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

        Assert.Equal(ownerOnly, File.GetUnixFileMode(temp.Path));
        Assert.Equal(ownerOnly, File.GetUnixFileMode(temp.Path + "-wal"));
    }

    [Fact]
    public async Task CreateTemplate_NameTakenInOtherCase_ThrowsTemplateAlreadyExists()
    {
        using var temp = new TempStore();
        var store = new SqliteEnvironmentTemplateStore(temp.Store);
        await store.CreateTemplateAsync("Web", EnvironmentTemplateContent.FromText("A=1"), null, [], default);

        var error = await Assert.ThrowsAsync<ContainerManagerException>(() =>
            store.CreateTemplateAsync("WEB", EnvironmentTemplateContent.FromText("A=2"), null, [], default));
        var original = await store.GetTemplateAsync("web", default);

        Assert.Equal(TemplateErrors.AlreadyExistsId, error.ErrorId);
        Assert.Contains("'Web'", error.Message);
        Assert.Equal("1", original!.Variables["A"]);
    }

    [Fact]
    public async Task CreateTemplate_InvalidText_ThrowsListingLinesAndStoresNothing()
    {
        using var temp = new TempStore();
        var store = new SqliteEnvironmentTemplateStore(temp.Store);
        var content = EnvironmentTemplateContent.FromText($"A=1\nno equals sign\nDB_PASSWORD=\"{Secret}\n");

        var error = await Assert.ThrowsAsync<DotEnvParseException>(() =>
            store.CreateTemplateAsync("web", content, null, [], default));

        Assert.Equal("InvalidEnvironmentTemplate", error.ErrorId);
        Assert.Equal([2, 3], error.Errors.Select(e => e.LineNumber));
        Assert.Contains("<text>:2:", error.Message);
        Assert.Contains("<text>:3:", error.Message);
        Assert.DoesNotContain(Secret, error.Message);
        Assert.Empty(await store.ListTemplatesAsync(default));
    }

    [Theory]
    [InlineData("")]
    [InlineData("-web")]
    [InlineData("web app")]
    [InlineData("web*")]
    [InlineData("wéb")]
    public async Task CreateTemplate_InvalidName_ThrowsInvalidTemplateName(string name)
    {
        using var temp = new TempStore();
        var store = new SqliteEnvironmentTemplateStore(temp.Store);

        var error = await Assert.ThrowsAsync<ContainerManagerException>(() =>
            store.CreateTemplateAsync(name, EnvironmentTemplateContent.FromText("A=1"), null, [], default));

        Assert.Equal(TemplateErrors.InvalidNameId, error.ErrorId);
        Assert.Empty(await store.ListTemplatesAsync(default));
    }

    [Fact]
    public async Task CreateTemplate_SecretKeyWithValue_ThrowsWithoutShowingValue()
    {
        using var temp = new TempStore();
        var store = new SqliteEnvironmentTemplateStore(temp.Store);

        var error = await Assert.ThrowsAsync<ContainerManagerException>(() => store.CreateTemplateAsync(
            "web", EnvironmentTemplateContent.FromText("A=1"), null, [$"DB_PASSWORD={Secret}"], default));

        Assert.Equal("InvalidSecretKey", error.ErrorId);
        Assert.Contains("DB_PASSWORD", error.Message);
        Assert.DoesNotContain(Secret, error.Message);
        Assert.Equal("DB_PASSWORD", error.TargetObject);
    }

    [Fact]
    public async Task CreateTemplate_DuplicateSecretKeys_AreStoredOnce()
    {
        using var temp = new TempStore();
        var store = new SqliteEnvironmentTemplateStore(temp.Store);

        await store.CreateTemplateAsync(
            "web", EnvironmentTemplateContent.FromText("A=1"), null, ["A", " a ", "B"], default);
        var template = await store.GetTemplateAsync("web", default);

        Assert.Equal(["A", "B"], template!.SecretKeys);
    }

    [Fact]
    public async Task GetTemplate_IgnoresCaseAndReturnsNullForUnknown()
    {
        using var temp = new TempStore();
        var store = new SqliteEnvironmentTemplateStore(temp.Store);
        await store.CreateTemplateAsync("Web", EnvironmentTemplateContent.FromText("A=1"), null, [], default);

        var found = await store.GetTemplateAsync("wEB", default);
        var missing = await store.GetTemplateAsync("web2", default);

        Assert.Equal("Web", found!.Name);
        Assert.Null(missing);
    }

    [Fact]
    public async Task ListTemplates_OrdersByNameIgnoringCase()
    {
        using var temp = new TempStore();
        var store = new SqliteEnvironmentTemplateStore(temp.Store);
        foreach (var name in new[] { "web", "Api", "batch" })
        {
            await store.CreateTemplateAsync(name, EnvironmentTemplateContent.FromText("A=1"), null, [], default);
        }

        var templates = await store.ListTemplatesAsync(default);

        Assert.Equal(["Api", "batch", "web"], templates.Select(t => t.Name));
    }

    [Fact]
    public async Task UpdateTemplate_NewContent_ReplacesVariablesAndKeepsOtherFields()
    {
        using var temp = new TempStore();
        var store = new SqliteEnvironmentTemplateStore(temp.Store);
        var created = await store.CreateTemplateAsync(
            "web", EnvironmentTemplateContent.FromText("A=1\nB=2"), "first", ["B"], default);
        await Task.Delay(5);

        var changes = new EnvironmentTemplateChanges
        {
            Content = EnvironmentTemplateContent.FromVariables([new("C", "3")]),
        };
        var updated = await store.UpdateTemplateAsync("WEB", changes, default);
        var read = await store.GetTemplateAsync("web", default);

        Assert.Equal(["C"], read!.Variables.Keys);
        Assert.Equal(EnvironmentTemplateSource.Hashtable, read.Source);
        Assert.Equal("first", read.Description);
        Assert.Equal(["B"], read.SecretKeys);
        Assert.Equal(created.CreatedAt, read.CreatedAt);
        Assert.True(read.UpdatedAt > created.UpdatedAt);
        Assert.Equal(updated.UpdatedAt, read.UpdatedAt);
    }

    [Fact]
    public async Task UpdateTemplate_SecretKeysAndDescription_ChangeMaskingAndText()
    {
        using var temp = new TempStore();
        var store = new SqliteEnvironmentTemplateStore(temp.Store);
        await store.CreateTemplateAsync(
            "web", EnvironmentTemplateContent.FromText("MODE=fast\nHOST=h1"), "first", ["HOST"], default);

        await store.UpdateTemplateAsync(
            "web", new EnvironmentTemplateChanges { SecretKeys = ["MODE"], Description = "" }, default);
        var read = await store.GetTemplateAsync("web", default);

        Assert.Null(read!.Description);
        Assert.Equal(["MODE"], read.SecretKeys);
        Assert.Equal(SecretMask.Mask, read.Variables["MODE"]);
        Assert.Equal("h1", read.Variables["HOST"]);
        Assert.Equal("MODE=********\nHOST=h1", read.Text);
    }

    [Fact]
    public async Task UpdateTemplate_Unknown_ThrowsTemplateNotFound()
    {
        using var temp = new TempStore();
        var store = new SqliteEnvironmentTemplateStore(temp.Store);

        var error = await Assert.ThrowsAsync<ContainerManagerException>(() => store.UpdateTemplateAsync(
            "nope", new EnvironmentTemplateChanges { Description = "x" }, default));

        Assert.Equal(TemplateErrors.NotFoundId, error.ErrorId);
        Assert.Equal(ErrorKind.ObjectNotFound, error.Kind);
        Assert.Equal("nope", error.TargetObject);
    }

    [Fact]
    public async Task UpdateTemplate_InvalidText_LeavesTemplateUnchanged()
    {
        using var temp = new TempStore();
        var store = new SqliteEnvironmentTemplateStore(temp.Store);
        await store.CreateTemplateAsync("web", EnvironmentTemplateContent.FromText("A=1"), "first", [], default);

        var changes = new EnvironmentTemplateChanges
        {
            Content = EnvironmentTemplateContent.FromText("A=1\nbroken"),
            Description = "second",
        };
        await Assert.ThrowsAsync<DotEnvParseException>(() => store.UpdateTemplateAsync("web", changes, default));
        var read = await store.GetTemplateAsync("web", default);

        Assert.Equal("A=1", read!.Text);
        Assert.Equal("first", read.Description);
    }

    [Fact]
    public async Task UnparsableStoredText_ThrowsUntilReplaced()
    {
        using var temp = new TempStore();
        var store = new SqliteEnvironmentTemplateStore(temp.Store);
        await store.CreateTemplateAsync("web", EnvironmentTemplateContent.FromText("A=1"), null, [], default);
        Execute(temp.Path, "UPDATE environment_templates SET text = 'not a definition'");

        var error = await Assert.ThrowsAsync<ContainerManagerException>(() => store.GetTemplateAsync("web", default));
        await store.UpdateTemplateAsync(
            "web", new EnvironmentTemplateChanges { Content = EnvironmentTemplateContent.FromText("A=2") }, default);
        var repaired = await store.GetTemplateAsync("web", default);

        Assert.Equal("InvalidStoredTemplate", error.ErrorId);
        Assert.Equal(ErrorKind.InvalidData, error.Kind);
        Assert.Equal("2", repaired!.Variables["A"]);
    }

    [Fact]
    public async Task RemoveTemplate_Unused_RemovesIt()
    {
        using var temp = new TempStore();
        var store = new SqliteEnvironmentTemplateStore(temp.Store);
        await store.CreateTemplateAsync("web", EnvironmentTemplateContent.FromText("A=1"), null, [], default);

        await store.RemoveTemplateAsync("WEB", force: false, default);

        Assert.Null(await store.GetTemplateAsync("web", default));
    }

    [Fact]
    public async Task RemoveTemplate_Unknown_ThrowsTemplateNotFound()
    {
        using var temp = new TempStore();
        var store = new SqliteEnvironmentTemplateStore(temp.Store);

        var error = await Assert.ThrowsAsync<ContainerManagerException>(() =>
            store.RemoveTemplateAsync("nope", force: true, default));

        Assert.Equal(TemplateErrors.NotFoundId, error.ErrorId);
    }

    [Fact]
    public async Task RemoveTemplate_UsedByPendingJob_ThrowsTemplateInUseAndKeepsIt()
    {
        using var temp = new TempStore();
        var store = new SqliteEnvironmentTemplateStore(temp.Store);
        await store.CreateTemplateAsync("web", EnvironmentTemplateContent.FromText("A=1"), null, [], default);
        var job = await temp.Store.CreateJobAsync(
            new JobSpec { Image = "busybox", EnvironmentTemplates = ["Web"] }, default);

        var error = await Assert.ThrowsAsync<ContainerManagerException>(() =>
            store.RemoveTemplateAsync("web", force: false, default));

        Assert.Equal(TemplateErrors.InUseId, error.ErrorId);
        Assert.Equal(ErrorKind.InvalidOperation, error.Kind);
        Assert.Contains($"job {job.Id}", error.Message);
        Assert.NotNull(await store.GetTemplateAsync("web", default));
    }

    [Fact]
    public async Task RemoveTemplate_WithForce_RemovesTemplateOfPendingJob()
    {
        using var temp = new TempStore();
        var store = new SqliteEnvironmentTemplateStore(temp.Store);
        await store.CreateTemplateAsync("web", EnvironmentTemplateContent.FromText("A=1"), null, [], default);
        await temp.Store.CreateJobAsync(new JobSpec { Image = "busybox", EnvironmentTemplates = ["web"] }, default);

        await store.RemoveTemplateAsync("web", force: true, default);

        Assert.Null(await store.GetTemplateAsync("web", default));
    }

    [Fact]
    public async Task FindQueuedJobs_IgnoresFinishedJobsAndOtherTemplates()
    {
        using var temp = new TempStore();
        var store = new SqliteEnvironmentTemplateStore(temp.Store);
        var pending = await temp.Store.CreateJobAsync(
            new JobSpec { Image = "busybox", EnvironmentTemplates = ["base", "WEB"] }, default);
        var cancelled = await temp.Store.CreateJobAsync(
            new JobSpec { Image = "busybox", EnvironmentTemplates = ["web"] }, default);
        await temp.Store.CreateJobAsync(new JobSpec { Image = "busybox", EnvironmentTemplates = ["web2"] }, default);
        await temp.Store.TryTransitionAsync(
            cancelled.Id, JobStatus.Pending, JobStatus.Cancelled, JobChanges.None, default);

        var ids = await store.FindQueuedJobsUsingTemplateAsync("web", default);

        Assert.Equal([pending.Id], ids);
    }

    [Fact]
    public async Task Open_StoreAtVersion1_AddsTemplateTableAndKeepsBackup()
    {
        using var temp = new TempStore();
        var job = await temp.Store.CreateJobAsync(new JobSpec { Image = "busybox" }, default);
        Execute(temp.Path, "DROP TABLE environment_templates; DROP TABLE executor_hosts; " +
            "DROP TABLE registry_credentials; " +
            string.Concat(new[] { "working_directory", "container_user", "network", "labels", "volumes",
                "bind_mounts", "privileged" }.Select(column => $"ALTER TABLE jobs DROP COLUMN {column}; ")) +
            "ALTER TABLE processors DROP COLUMN last_error; DELETE FROM schema_version WHERE version > 1");
        SqliteConnection.ClearAllPools();

        var reopened = SqliteJobStore.Open(temp.Path);
        var store = new SqliteEnvironmentTemplateStore(reopened);
        await store.CreateTemplateAsync("web", EnvironmentTemplateContent.FromText("A=1"), null, [], default);

        Assert.Equal(SqliteSchema.LatestVersion.ToString(CultureInfo.InvariantCulture),
            ReadScalar(temp.Path, "SELECT MAX(version) FROM schema_version"));
        Assert.NotNull(await reopened.GetJobAsync(job.Id, default));
        Assert.Single(Directory.GetFiles(temp.Folder, "jobs.db.v1-*.bak"));
    }

    private static void Execute(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static string ReadScalar(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture)!;
    }
}
