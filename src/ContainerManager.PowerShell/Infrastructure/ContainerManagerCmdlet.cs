using System.Collections.Concurrent;
using System.Management.Automation;
using ContainerManager.Core.Credentials;
using ContainerManager.Core.Errors;
using ContainerManager.Core.Hosts;
using ContainerManager.Core.Processing;
using ContainerManager.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.PowerShell.Commands;

namespace ContainerManager.PowerShell.Infrastructure;

/// <summary>
/// Base of every cmdlet: opens the job store, bridges to the async core once per call, and
/// writes what the core queues (logs, progress, objects) from the pipeline thread only.
/// </summary>
public abstract class ContainerManagerCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private BlockingCollection<Action<ContainerManagerCmdlet>>? _writes;
    private IJobStore? _store;
    private IEnvironmentTemplateStore? _templateStore;

    /// <summary>Path of the job store file; defaults to $env:CONTAINER_MANAGER_DB, then the per-user data folder.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Database { get; set; }

    /// <summary>Cancelled when the user presses Ctrl+C or the pipeline stops.</summary>
    protected CancellationToken StopToken => _stopping.Token;

    /// <summary>Logger whose messages reach the verbose, warning and debug streams.</summary>
    protected ILogger Logger => new CmdletLogger(this);

    /// <summary>Job store opened in <see cref="BeginProcessing"/>.</summary>
    protected IJobStore Store => _store ?? throw new InvalidOperationException("The store is opened in BeginProcessing.");

    /// <summary>Environment templates in the same store file as <see cref="Store"/>.</summary>
    protected IEnvironmentTemplateStore TemplateStore =>
        _templateStore ?? throw new InvalidOperationException("The store is opened in BeginProcessing.");

    /// <summary>
    /// Creates the executors for the stored hosts (or the local engine when none is stored),
    /// pulling with stored registry credentials first and the Docker config file second.
    /// </summary>
    protected ExecutorPool CreateExecutorPool(int localMaxConcurrentJobs)
    {
        var store = (SqliteJobStore)Store;
        var credentials = new RegistryCredentialChain(
            new StoredRegistryCredentialProvider(new SqliteRegistryCredentialStore(store)),
            new DockerConfigCredentialProvider());
        return new ExecutorPool(
            new SqliteExecutorHostStore(store), new DockerExecutorFactory(credentials, Logger), localMaxConcurrentJobs);
    }

    /// <summary>
    /// Whether this cmdlet creates the store file when the path names none yet. The others
    /// write StoreNotFound instead, so a mistyped path is reported rather than read as a new,
    /// empty store. The default per-user store is always created.
    /// </summary>
    protected virtual bool CreatesStore => false;

    private bool IsStorePathNamed =>
        Database is not null
        || !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(StoreLocation.EnvironmentVariable));

    /// <summary>
    /// Opens the job store on the pipeline thread, so that work started with RunAsync can use
    /// it from any thread. A store that cannot be opened ends the call.
    /// </summary>
    protected override void BeginProcessing()
    {
        string path;
        try
        {
            path = StoreLocation.Resolve(Database is null ? null : ResolveDatabasePath(Database));
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException
                                       or SessionStateException)
        {
            ThrowTerminatingError(ErrorRecords.Create("InvalidDatabasePath", ErrorKind.InvalidArgument,
                $"The store path '{Database}' is invalid: {ex.Message} Give a file path, or leave out -Database.",
                Database));
            return;
        }

        if (Directory.Exists(path))
        {
            ThrowTerminatingError(ErrorRecords.Create("InvalidDatabasePath", ErrorKind.InvalidArgument,
                $"The store path '{path}' is a folder. Give the path of the store file inside it, such as " +
                $"'{Path.Combine(path, "jobs.db")}'.",
                path));
        }

        if (!CreatesStore && IsStorePathNamed && !File.Exists(path))
        {
            ThrowTerminatingError(ErrorRecords.Create("StoreNotFound", ErrorKind.ObjectNotFound,
                $"No job store exists at '{path}'. Check the path given with -Database or " +
                $"$env:{StoreLocation.EnvironmentVariable}. New-ContainerJob, New-EnvironmentTemplate, New-ExecutorHost, " +
                "Set-CmRegistryCredential, Invoke-JobProcessor, Test-ExecutorHost and Import-ContainerImage create " +
                "a new store.",
                path));
        }

        try
        {
            var store = SqliteJobStore.Open(path);
            _store = store;
            _templateStore = new SqliteEnvironmentTemplateStore(store);
        }
        catch (ContainerManagerException ex)
        {
            ThrowTerminatingError(ErrorRecords.From(ex));
        }

        WriteVerbose($"Using job store {path}");
    }

    // Returns the file system path of -Database. A path on another provider, such as env:/x,
    // resolves to a bare name, which would create a store file in the process's working folder.
    private string ResolveDatabasePath(string database)
    {
        if (string.IsNullOrWhiteSpace(database))
        {
            throw new ArgumentException("The path is blank.");
        }

        var resolved = SessionState.Path.GetUnresolvedProviderPathFromPSPath(database, out var provider, out _);
        if (provider.ImplementingType != typeof(FileSystemProvider))
        {
            throw new ArgumentException($"It is a path of the {provider.Name} provider, not of the file system.");
        }

        return resolved;
    }

    /// <summary>
    /// Runs <paramref name="action"/> on the thread pool and, until it ends, writes on this
    /// thread whatever it queued with <see cref="Enqueue"/> or the logger. Exceptions of the
    /// task are rethrown here, and cancellation by Ctrl+C becomes PipelineStoppedException. A
    /// failure of the store file (read-only, locked, unreadable) ends the call with the
    /// terminating error StoreReadOnly, StoreBusy or StoreUnavailable.
    /// </summary>
    protected T RunAsync<T>(Func<CancellationToken, Task<T>> action)
    {
        using var writes = new BlockingCollection<Action<ContainerManagerCmdlet>>();
        _writes = writes;
        try
        {
            var task = Task.Run(() => action(StopToken), StopToken);
            task.ContinueWith(_ => writes.CompleteAdding(), TaskScheduler.Default);
            // A write can fail: the pipeline was stopped (Ctrl+C), or a prompt is impossible
            // under -NonInteractive. The core is then cancelled and the queue is still emptied
            // until the core ends, so that it can clean up (drain, release claimed jobs)
            // before the cmdlet returns.
            Exception? writeFailure = null;
            foreach (var write in writes.GetConsumingEnumerable())
            {
                if (writeFailure is not null || _stopping.IsCancellationRequested)
                {
                    continue;
                }

                try
                {
                    write(this);
                }
                catch (Exception ex)
                {
                    writeFailure = ex;
                    _stopping.Cancel();
                }
            }

            if (writeFailure is not null and not PipelineStoppedException)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(writeFailure).Throw();
            }

            try
            {
                return task.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
            catch (Exception ex) when ((_store as SqliteJobStore)?.ToStoreException(ex) is { } failure)
            {
                // The next item would meet the same store, so the call ends here instead of
                // writing one error per item.
                ThrowTerminatingError(ErrorRecords.From(failure));
                throw;
            }
        }
        finally
        {
            _writes = null;
        }
    }

    /// <summary>Runs an async action that returns nothing; see <see cref="RunAsync{T}"/>.</summary>
    protected void RunAsync(Func<CancellationToken, Task> action) =>
        RunAsync(async token =>
        {
            await action(token).ConfigureAwait(false);
            return true;
        });

    /// <summary>
    /// Queues a write for the pipeline thread. Called from the pipeline thread outside
    /// <see cref="RunAsync{T}"/>, it writes at once.
    /// </summary>
    protected internal void Enqueue(Action<ContainerManagerCmdlet> write)
    {
        var writes = _writes;
        if (writes is null)
        {
            write(this);
            return;
        }

        try
        {
            writes.Add(write);
        }
        catch (InvalidOperationException)
        {
            // The task has finished and the queue is closed; a late log line is dropped.
        }
    }

    /// <summary>Writes a non-terminating error for a core failure and lets the pipeline go on.</summary>
    protected void WriteCoreError(ContainerManagerException exception) => WriteError(ErrorRecords.From(exception));

    /// <summary>
    /// Asks ShouldProcess, except that <paramref name="force"/> skips the confirmation
    /// prompt. -WhatIf is honoured either way.
    /// </summary>
    protected bool ShouldProcessUnlessForced(bool force, string target, string action)
    {
        var whatIf = MyInvocation.BoundParameters.TryGetValue("WhatIf", out var bound)
            ? ((SwitchParameter)bound).IsPresent
            : GetVariableValue("WhatIfPreference") is true or SwitchParameter { IsPresent: true };
        return force && !whatIf || ShouldProcess(target, action);
    }

    /// <summary>
    /// Writes a verbose message. PowerShell 7 prompts before each verbose or warning message of a
    /// compiled cmdlet called with -Debug (their preferences become Inquire, as in Windows
    /// PowerShell), and under -NonInteractive that ends the command. Such a call, without
    /// -Verbose, writes the message to the debug stream instead, which -Debug shows without asking.
    /// </summary>
    public new void WriteVerbose(string text)
    {
        if (DebugWithout("Verbose"))
        {
            WriteDebug(text);
            return;
        }

        base.WriteVerbose(text);
    }

    /// <summary>Writes a warning; see <see cref="WriteVerbose"/> for calls with -Debug.</summary>
    public new void WriteWarning(string text)
    {
        if (DebugWithout("WarningAction"))
        {
            WriteDebug("WARNING: " + text);
            return;
        }

        base.WriteWarning(text);
    }

    private bool DebugWithout(string parameter) =>
        MyInvocation.BoundParameters.TryGetValue("Debug", out var debug)
        && debug is SwitchParameter { IsPresent: true }
        && !MyInvocation.BoundParameters.ContainsKey(parameter);

    /// <inheritdoc />
    protected override void StopProcessing() => _stopping.Cancel();

    /// <inheritdoc />
    public void Dispose()
    {
        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }
}
