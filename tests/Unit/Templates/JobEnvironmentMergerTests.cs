using ContainerManager.Core.Errors;
using ContainerManager.Core.Jobs;
using ContainerManager.Core.Templates;
using ContainerManager.Tests.Support;

namespace ContainerManager.Tests.Templates;

public class JobEnvironmentMergerTests
{
    private static readonly DateTimeOffset Time = DateTimeOffset.UnixEpoch;

    [Fact]
    public void Apply_LaterTemplateAndOverridesWin()
    {
        var spec = new JobSpec { Image = "busybox" };
        var first = Template("first", "A=t1\nB=t1\nC=t1");
        var second = Template("second", "B=t2\nC=t2\nD=t2");

        JobEnvironmentMerger.Apply(spec, [first, second], new Dictionary<string, string> { ["C"] = "env" }, []);

        Assert.Equal(["A", "B", "C", "D"], spec.Environment.Keys);
        Assert.Equal("t1", spec.Environment["A"]);
        Assert.Equal("t2", spec.Environment["B"]);
        Assert.Equal("env", spec.Environment["C"]);
        Assert.Equal("t2", spec.Environment["D"]);
        Assert.Equal(["first", "second"], spec.EnvironmentTemplates);
    }

    [Fact]
    public void Apply_KeysDifferingInCase_AreSeparateVariables()
    {
        var spec = new JobSpec { Image = "busybox" };

        JobEnvironmentMerger.Apply(
            spec, [Template("t", "path=a")], new Dictionary<string, string> { ["PATH"] = "b" }, []);

        Assert.Equal("a", spec.Environment["path"]);
        Assert.Equal("b", spec.Environment["PATH"]);
    }

    [Fact]
    public void Apply_SecretKeys_AreUnionWithoutDuplicates()
    {
        var spec = new JobSpec { Image = "busybox" };
        var first = Template("first", "A=1", ["A", "B"]);
        var second = Template("second", "C=1", ["b", "C"]);

        JobEnvironmentMerger.Apply(spec, [first, second], new Dictionary<string, string>(), ["c", "D"]);

        Assert.Equal(["A", "B", "C", "D"], spec.SecretKeys);
    }

    [Fact]
    public void Apply_UnmaskedValuesAndReferencesReachTheJob()
    {
        var spec = new JobSpec { Image = "busybox" };

        JobEnvironmentMerger.Apply(
            spec, [Template("t", "DB_PASSWORD=hunter22\nSOURCE=${env:CM_SOURCE}")], new Dictionary<string, string>(), []);

        Assert.Equal("hunter22", spec.Environment["DB_PASSWORD"]);
        Assert.Equal("${env:CM_SOURCE}", spec.Environment["SOURCE"]);
    }

    [Fact]
    public void Apply_SecretKeyWithValue_Throws()
    {
        var spec = new JobSpec { Image = "busybox" };

        var error = Assert.Throws<ContainerManagerException>(() => JobEnvironmentMerger.Apply(
            spec, [], new Dictionary<string, string>(), ["TOKEN=abcd1234"]));

        Assert.Equal("InvalidSecretKey", error.ErrorId);
        Assert.DoesNotContain("abcd1234", error.Message);
    }

    [Fact]
    public async Task StoredJob_MasksDeclaredAndEmbeddedSecrets()
    {
        using var temp = new TempStore();
        var spec = new JobSpec { Image = "busybox" };
        var template = Template("t", "HOST_PASS=hunter22\nURL=https://u:${HOST_PASS}@h\nMODE=x", ["HOST_PASS"]);
        JobEnvironmentMerger.Apply(spec, [template], new Dictionary<string, string>(), []);

        var created = await temp.Store.CreateJobAsync(spec, default);
        var job = await temp.Store.GetJobAsync(created.Id, default);

        Assert.Equal(SecretMask.Mask, job!.Environment["HOST_PASS"]);
        Assert.Equal("https://u:********@h", job.Environment["URL"]);
        Assert.Equal("x", job.Environment["MODE"]);
        Assert.Equal("hunter22", job.EnvironmentValues["HOST_PASS"]);
        Assert.Equal(["t"], job.EnvironmentTemplates);
    }

    private static EnvironmentTemplate Template(string name, string text, IReadOnlyList<string>? secretKeys = null) =>
        EnvironmentTemplate.Create(
            name, null, EnvironmentTemplateContent.FromText(text), secretKeys ?? [], Time, Time);
}
