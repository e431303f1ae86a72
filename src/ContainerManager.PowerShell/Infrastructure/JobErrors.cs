using System.Management.Automation;
using ContainerManager.Core.Errors;

namespace ContainerManager.PowerShell.Infrastructure;

/// <summary>Error records shared by the job cmdlets.</summary>
internal static class JobErrors
{
    public static ErrorRecord NotFound(long id, string storeLocation) =>
        ErrorRecords.Create(
            "JobNotFound",
            ErrorKind.ObjectNotFound,
            $"No job with id {id} exists in the store '{storeLocation}'. List the jobs with Get-ContainerJob.",
            id);
}
