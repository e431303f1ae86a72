using System.Collections;
using System.Globalization;
using System.Management.Automation;

namespace ContainerManager.PowerShell.Infrastructure;

/// <summary>Converts hashtable parameters (environment, labels) to text keys and values.</summary>
internal static class HashtableInput
{
    /// <summary>Returns the entries as invariant-culture text; null gives an empty dictionary.</summary>
    public static Dictionary<string, string> ToDictionary(Hashtable? table)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (table is null)
        {
            return result;
        }

        foreach (DictionaryEntry entry in table)
        {
            var key = Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? "";
            var value = entry.Value is PSObject wrapped ? wrapped.BaseObject : entry.Value;
            result[key] = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
        }

        return result;
    }
}
