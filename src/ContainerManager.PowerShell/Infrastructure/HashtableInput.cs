using System.Collections;
using System.Globalization;
using System.Management.Automation;
using ContainerManager.Core.Errors;

namespace ContainerManager.PowerShell.Infrastructure;

/// <summary>Converts hashtable parameters (environment, labels) to text keys and values.</summary>
internal static class HashtableInput
{
    /// <summary>Returns the entries as invariant-culture text; null gives an empty dictionary.</summary>
    /// <param name="table">Hashtable given by the user.</param>
    /// <param name="entryName">What an entry is, for the error message, such as "container label".</param>
    /// <exception cref="ContainerManagerException">
    /// InvalidEnvironmentValue when a value is a list or table, which has no text form.
    /// </exception>
    public static Dictionary<string, string> ToDictionary(Hashtable? table, string entryName = "environment variable")
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
            if (value is IEnumerable and not string)
            {
                // Convert.ToString would store the type name, such as System.Object[].
                throw new ContainerManagerException("InvalidEnvironmentValue", ErrorKind.InvalidArgument,
                    $"The value of the {entryName} '{key}' is a list or table. Give a string or a number.", key);
            }

            result[key] = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
        }

        return result;
    }
}
