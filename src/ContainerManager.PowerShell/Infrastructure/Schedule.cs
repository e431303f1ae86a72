namespace ContainerManager.PowerShell.Infrastructure;

/// <summary>Conversions for -ScheduledFor.</summary>
internal static class Schedule
{
    // PowerShell binds '2026-12-24 18:00' as a DateTime of kind Unspecified; like Get-Date,
    // the module reads such a time as local time.
    public static DateTimeOffset ToUtc(DateTime time) =>
        time.Kind == DateTimeKind.Utc ? new DateTimeOffset(time) : new DateTimeOffset(time.ToUniversalTime());
}
