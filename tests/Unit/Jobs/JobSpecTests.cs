using ContainerManager.Core.Errors;
using ContainerManager.Core.Jobs;

namespace ContainerManager.Tests.Jobs;

public class JobSpecTests
{
    public static TheoryData<JobSpec, string> InvalidSpecs() => new()
    {
        { new JobSpec { Image = "" }, "InvalidImage" },
        { new JobSpec { Image = "Busybox" }, "InvalidImage" },
        { new JobSpec { Image = "busybox:" }, "InvalidImage" },
        { new JobSpec { Image = "busybox", Name = "" }, "InvalidJobName" },
        { new JobSpec { Image = "busybox", Name = "two\nlines" }, "InvalidJobName" },
        { new JobSpec { Image = "busybox", Name = "tab\there" }, "InvalidJobName" },
        { new JobSpec { Image = "busybox", Name = new string('n', JobSpec.MaxNameLength + 1) }, "InvalidJobName" },
        {
            new JobSpec
            {
                Image = "busybox",
                Environment = new Dictionary<string, string> { ["BIG"] = new string('x', JobSpec.MaxVariableBytes - 4) },
            },
            "EnvironmentTooLarge"
        },
        {
            new JobSpec
            {
                Image = "busybox",
                Environment = Enumerable.Range(0, 20).ToDictionary(i => $"V{i}", _ => new string('x', 60_000)),
            },
            "EnvironmentTooLarge"
        },
        { new JobSpec { Image = "busybox", Command = ["echo", "a\0b"] }, "InvalidCommand" },
        { new JobSpec { Image = "busybox", Command = ["echo", null!] }, "InvalidCommand" },
        {
            new JobSpec { Image = "busybox", Environment = new Dictionary<string, string> { ["TOKEN"] = "x\0y" } },
            "InvalidEnvironmentValue"
        },
        { new JobSpec { Image = "busybox", MemoryMiB = 0 }, "InvalidMemoryLimit" },
        { new JobSpec { Image = "busybox", MemoryMiB = -1 }, "InvalidMemoryLimit" },
        { new JobSpec { Image = "busybox", MemoryMiB = 5 }, "InvalidMemoryLimit" },
        { new JobSpec { Image = "busybox", Cpus = 0 }, "InvalidCpuLimit" },
        { new JobSpec { Image = "busybox", Cpus = -2 }, "InvalidCpuLimit" },
        { new JobSpec { Image = "busybox", Cpus = double.NaN }, "InvalidCpuLimit" },
        { new JobSpec { Image = "busybox", TimeoutSeconds = 0 }, "InvalidTimeout" },
        { new JobSpec { Image = "busybox", TimeoutSeconds = -5 }, "InvalidTimeout" },
        { new JobSpec { Image = "busybox", MaxAttempts = 0 }, "InvalidMaxAttempts" },
        {
            new JobSpec { Image = "busybox", Environment = new Dictionary<string, string> { ["A=B"] = "x" } },
            "InvalidEnvironmentKey"
        },
        { new JobSpec { Image = "busybox", WorkingDirectory = "work" }, "InvalidWorkingDirectory" },
        { new JobSpec { Image = "busybox", User = "1000:1000:1" }, "InvalidUser" },
        { new JobSpec { Image = "busybox", User = "a b" }, "InvalidUser" },
        { new JobSpec { Image = "busybox", Network = "container:web" }, "InvalidNetwork" },
        {
            new JobSpec { Image = "busybox", Labels = new Dictionary<string, string> { ["a=b"] = "x" } },
            "InvalidLabel"
        },
        {
            new JobSpec
            {
                Image = "busybox",
                Labels = new Dictionary<string, string> { ["ContainerManager.job"] = "1" },
            },
            "ReservedLabel"
        },
        { new JobSpec { Image = "busybox", Volumes = ["data"] }, "InvalidVolume" },
        { new JobSpec { Image = "busybox", Volumes = ["/srv:/data"] }, "InvalidVolume" },
        { new JobSpec { Image = "busybox", Volumes = ["data:relative"] }, "InvalidVolume" },
        { new JobSpec { Image = "busybox", Volumes = ["data:/data:rx"] }, "InvalidVolume" },
        { new JobSpec { Image = "busybox", BindMounts = ["srv:/data"] }, "InvalidBindMount" },
        { new JobSpec { Image = "busybox", BindMounts = ["/srv"] }, "InvalidBindMount" },
        { new JobSpec { Image = "busybox", BindMounts = ["/srv:/data:ro:z"] }, "InvalidBindMount" },
    };

    [Fact]
    public void Validate_ContainerOptionsInExpectedForm_Passes()
    {
        var spec = new JobSpec
        {
            Image = "busybox",
            WorkingDirectory = "/work",
            User = "1000:1000",
            Network = "none",
            Labels = new Dictionary<string, string> { ["com.example.team"] = "data" },
            Volumes = ["cache:/cache", "data:/data:ro"],
            BindMounts = ["/srv/in:/in:ro", "/srv/out:/out:rw"],
            Privileged = true,
        };

        spec.Validate();
    }

    [Fact]
    public void Validate_InvalidBindMount_NamesValueAndForm()
    {
        var spec = new JobSpec { Image = "busybox", BindMounts = ["srv:/data"] };

        var error = Assert.Throws<ContainerManagerException>(spec.Validate);

        Assert.Equal("srv:/data", error.TargetObject);
        Assert.Contains("'srv:/data'", error.Message);
        Assert.Contains("/host/path:/container/path", error.Message);
    }

    [Theory]
    [MemberData(nameof(InvalidSpecs))]
    public void Validate_InvalidField_ThrowsWithStableId(JobSpec spec, string errorId)
    {
        var error = Assert.Throws<ContainerManagerException>(spec.Validate);

        Assert.Equal(errorId, error.ErrorId);
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
    }

    [Fact]
    public void Validate_NullCommandArgument_NamesItsPosition()
    {
        var spec = new JobSpec { Image = "busybox", Command = ["echo", "a", null!] };

        var error = Assert.Throws<ContainerManagerException>(spec.Validate);

        Assert.Equal("InvalidCommand", error.ErrorId);
        Assert.Contains("Argument 3 of the command is null", error.Message);
    }

    [Fact]
    public void Validate_MemoryOutOfRange_NamesValueAndRange()
    {
        var error = Assert.Throws<ContainerManagerException>(
            new JobSpec { Image = "busybox", MemoryMiB = -1 }.Validate);

        Assert.Contains("-1", error.Message);
        Assert.Contains("MemoryMiB", error.Message);
        Assert.Contains($"{JobSpec.MinMemoryMiB} to {JobSpec.MaxMemoryMiB}", error.Message);
    }

    [Fact]
    public void Validate_EnvironmentValueWithNul_KeepsValueOutOfMessage()
    {
        var spec = new JobSpec
        {
            Image = "busybox",
            Environment = new Dictionary<string, string> { ["DB_PASSWORD"] = "hunter2-secret\0" },
        };

        var error = Assert.Throws<ContainerManagerException>(spec.Validate);

        Assert.Contains("DB_PASSWORD", error.Message);
        Assert.DoesNotContain("hunter2", error.Message);
    }

    [Fact]
    public void Validate_EmptyArgument_Passes()
    {
        new JobSpec { Image = "busybox", Command = ["printf", "%s|", ""] }.Validate();
    }

    [Fact]
    public void Validate_FullSpec_Passes()
    {
        var spec = new JobSpec
        {
            Image = "127.0.0.1:5000/team/tool:1.2",
            Command = ["sh", "-c", "exit 0"],
            MemoryMiB = 16,
            Cpus = 0.25,
            TimeoutSeconds = 5,
        };

        spec.Validate();
    }

    [Fact]
    public void Validate_LargestVariable_IsAccepted()
    {
        var spec = new JobSpec
        {
            Image = "busybox",
            Environment = new Dictionary<string, string> { ["BIG"] = new string('x', JobSpec.MaxVariableBytes - 5) },
        };

        spec.Validate();
    }
}
