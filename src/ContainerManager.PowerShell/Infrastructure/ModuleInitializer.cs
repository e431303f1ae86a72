using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace ContainerManager.PowerShell.Infrastructure;

/// <summary>
/// Lets the module find native SQLite. PowerShell does not read a binary module's
/// deps.json, so the runtime never looks in runtimes/&lt;rid&gt;/native/ where the publish
/// put e_sqlite3; this handler loads it from there when the default probing fails.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    /// <inheritdoc />
    public void OnImport() => AssemblyLoadContext.Default.ResolvingUnmanagedDll += ResolveNative;

    /// <inheritdoc />
    public void OnRemove(PSModuleInfo psModuleInfo) =>
        AssemblyLoadContext.Default.ResolvingUnmanagedDll -= ResolveNative;

    private static IntPtr ResolveNative(Assembly assembly, string libraryName)
    {
        if (!libraryName.Contains("e_sqlite3", StringComparison.Ordinal))
        {
            return IntPtr.Zero;
        }

        var moduleFolder = Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!;
        foreach (var rid in CandidateRuntimeIdentifiers())
        {
            var candidate = Path.Combine(moduleFolder, "runtimes", rid, "native", NativeFileName());
            if (File.Exists(candidate) && NativeLibrary.TryLoad(candidate, out var handle))
            {
                return handle;
            }
        }

        return IntPtr.Zero;
    }

    private static string NativeFileName()
    {
        if (OperatingSystem.IsWindows())
        {
            return "e_sqlite3.dll";
        }

        return OperatingSystem.IsMacOS() ? "libe_sqlite3.dylib" : "libe_sqlite3.so";
    }

    // Portable runtime identifiers as NuGet names the folders, most specific first.
    private static IEnumerable<string> CandidateRuntimeIdentifiers()
    {
        var architecture = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
        if (OperatingSystem.IsWindows())
        {
            yield return $"win-{architecture}";
        }
        else if (OperatingSystem.IsMacOS())
        {
            yield return $"osx-{architecture}";
        }
        else
        {
            if (IsMusl())
            {
                yield return $"linux-musl-{architecture}";
            }

            yield return $"linux-{architecture}";
        }
    }

    private static bool IsMusl() =>
        RuntimeInformation.RuntimeIdentifier.Contains("musl", StringComparison.OrdinalIgnoreCase)
        || File.Exists("/etc/alpine-release");
}
