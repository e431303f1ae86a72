using ContainerManager.Core.Jobs;
using ContainerManager.Core.Templates;
using ContainerManager.Tests.Support;

namespace ContainerManager.Tests.Jobs;

public class ContainerJobTests
{
    [Fact]
    public async Task Command_HidesSecretValuesButKeepsRealArguments()
    {
        using var temp = new TempStore();
        var created = await temp.Store.CreateJobAsync(
            new JobSpec
            {
                Image = "busybox",
                Command = ["login", "--password=hunter22", "--region", "eu-west-1"],
                Environment = new Dictionary<string, string>
                {
                    ["DB_PASSWORD"] = "hunter22",
                    ["REGION"] = "eu-west-1",
                },
            },
            default);

        var job = await temp.Store.GetJobAsync(created.Id, default);

        Assert.Equal(["login", "--password=********", "--region", "eu-west-1"], job!.Command);
        Assert.Equal(["login", "--password=hunter22", "--region", "eu-west-1"], job.CommandValues);
        Assert.Equal(["DB_PASSWORD"], job.SecretKeys);
    }

    [Fact]
    public async Task Command_DeclaredSecretKey_IsHidden()
    {
        using var temp = new TempStore();
        var created = await temp.Store.CreateJobAsync(
            new JobSpec
            {
                Image = "busybox",
                Command = ["echo", "eu-west-1"],
                Environment = new Dictionary<string, string> { ["REGION"] = "eu-west-1" },
                SecretKeys = ["region"],
            },
            default);

        Assert.Equal(["echo", SecretMask.Mask], created.Command);
    }

    [Fact]
    public void Duration_CompletedBeforeStarted_IsZero()
    {
        var started = DateTimeOffset.UtcNow;
        var job = new ContainerJob { StartedAt = started, CompletedAt = started.AddMilliseconds(-1) };

        Assert.Equal(TimeSpan.Zero, job.Duration);
    }

    [Fact]
    public void Duration_StartInFuture_IsZero()
    {
        var job = new ContainerJob { Status = JobStatus.Running, StartedAt = DateTimeOffset.UtcNow.AddMinutes(1) };

        Assert.Equal(TimeSpan.Zero, job.Duration);
    }

    [Fact]
    public void Command_WithoutSecrets_IsUnchanged()
    {
        var job = new ContainerJob { Command = ["echo", "hello"] };

        Assert.Equal(["echo", "hello"], job.Command);
    }
}
