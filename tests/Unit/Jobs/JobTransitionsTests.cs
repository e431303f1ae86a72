using ContainerManager.Core.Errors;
using ContainerManager.Core.Jobs;
using ContainerManager.Core.Storage;
using ContainerManager.Tests.Support;
using Microsoft.Data.Sqlite;

namespace ContainerManager.Tests.Jobs;

public class JobTransitionsTests
{
    // The life cycle as documented: every edge not listed here must be rejected.
    private static readonly HashSet<(JobStatus From, JobStatus To)> Expected =
    [
        (JobStatus.Pending, JobStatus.Launching),
        (JobStatus.Retrying, JobStatus.Launching),
        (JobStatus.Launching, JobStatus.Running),
        (JobStatus.Launching, JobStatus.Retrying),
        (JobStatus.Launching, JobStatus.Failed),
        (JobStatus.Running, JobStatus.Retrying),
        (JobStatus.Running, JobStatus.Completed),
        (JobStatus.Running, JobStatus.Failed),
        (JobStatus.Running, JobStatus.TimedOut),
        (JobStatus.Pending, JobStatus.Cancelled),
        (JobStatus.Retrying, JobStatus.Cancelled),
        (JobStatus.Launching, JobStatus.Cancelled),
        (JobStatus.Running, JobStatus.Cancelled),
        (JobStatus.Completed, JobStatus.Pending),
        (JobStatus.Failed, JobStatus.Pending),
        (JobStatus.TimedOut, JobStatus.Pending),
        (JobStatus.Cancelled, JobStatus.Pending),
    ];

    public static TheoryData<JobStatus, JobStatus> AllPairs()
    {
        var data = new TheoryData<JobStatus, JobStatus>();
        foreach (var from in Enum.GetValues<JobStatus>())
        {
            foreach (var to in Enum.GetValues<JobStatus>())
            {
                if (from != to)
                {
                    data.Add(from, to);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void IsAllowed_MatchesLifeCycleTable(JobStatus from, JobStatus to)
    {
        Assert.Equal(Expected.Contains((from, to)), JobTransitions.IsAllowed(from, to));
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public async Task StoreTransition_AllowsOnlyTableEdges(JobStatus from, JobStatus to)
    {
        using var temp = new TempStore();
        var job = await temp.Store.CreateJobAsync(new JobSpec { Image = "busybox:1" }, default);
        ForceStatus(temp.Path, job.Id, from);

        if (Expected.Contains((from, to)))
        {
            Assert.True(await temp.Store.TryTransitionAsync(job.Id, from, to, JobChanges.None, default));
            Assert.Equal(to, (await temp.Store.GetJobAsync(job.Id, default))!.Status);
            return;
        }

        var error = await Assert.ThrowsAsync<ContainerManagerException>(
            () => temp.Store.TryTransitionAsync(job.Id, from, to, JobChanges.None, default));
        Assert.Equal("InvalidStatusTransition", error.ErrorId);
        Assert.Equal(from, (await temp.Store.GetJobAsync(job.Id, default))!.Status);
    }

    [Fact]
    public async Task StoreTransition_FromStaleStatus_ReturnsFalseAndWritesNothing()
    {
        using var temp = new TempStore();
        var job = await temp.Store.CreateJobAsync(new JobSpec { Image = "busybox:1" }, default);
        ForceStatus(temp.Path, job.Id, JobStatus.Running);

        var changed = await temp.Store.TryTransitionAsync(
            job.Id, JobStatus.Pending, JobStatus.Cancelled, new JobChanges { ErrorMessage = "x" }, default);

        Assert.False(changed);
        var stored = await temp.Store.GetJobAsync(job.Id, default);
        Assert.Equal(JobStatus.Running, stored!.Status);
        Assert.Null(stored.ErrorMessage);
    }

    [Theory]
    [InlineData(JobStatus.Completed, true)]
    [InlineData(JobStatus.Failed, true)]
    [InlineData(JobStatus.TimedOut, true)]
    [InlineData(JobStatus.Cancelled, true)]
    [InlineData(JobStatus.Pending, false)]
    [InlineData(JobStatus.Launching, false)]
    [InlineData(JobStatus.Running, false)]
    [InlineData(JobStatus.Retrying, false)]
    public void IsTerminal_MatchesTerminalStatuses(JobStatus status, bool terminal)
    {
        Assert.Equal(terminal, JobTransitions.IsTerminal(status));
    }

    // Puts a job into any status directly, to test edges from statuses that only a
    // processor reaches.
    private static void ForceStatus(string path, long id, JobStatus status)
    {
        using var connection = new SqliteConnection($"Data Source={path}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE jobs SET status = $status WHERE id = $id";
        command.Parameters.AddWithValue("$status", status.ToString());
        command.Parameters.AddWithValue("$id", id);
        command.ExecuteNonQuery();
    }
}
