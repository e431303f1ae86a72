using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace ContainerManager.Core.Templates;

/// <summary>
/// Read-only string map with ordinal keys that enumerates keys in the order they were first
/// added. <see cref="Dictionary{TKey,TValue}"/> does not promise an order, and
/// <c>OrderedDictionary&lt;TKey,TValue&gt;</c> needs .NET 9 while the core targets .NET 8.
/// </summary>
internal sealed class InsertionOrderedDictionary : IReadOnlyDictionary<string, string>
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly List<string> _keys = [];

    /// <summary>Number of distinct keys.</summary>
    public int Count => _keys.Count;

    /// <summary>Keys in order of first addition.</summary>
    public IEnumerable<string> Keys => _keys;

    /// <summary>Values in the order of <see cref="Keys"/>.</summary>
    public IEnumerable<string> Values => _keys.Select(key => _values[key]);

    /// <summary>
    /// Value of <paramref name="key"/>. Throws <see cref="KeyNotFoundException"/> when the key
    /// is absent.
    /// </summary>
    public string this[string key] => _values[key];

    /// <summary>
    /// Adds <paramref name="key"/>, or replaces its value while keeping its first position.
    /// </summary>
    public void Set(string key, string value)
    {
        if (!_values.ContainsKey(key))
        {
            _keys.Add(key);
        }

        _values[key] = value;
    }

    /// <inheritdoc/>
    public bool ContainsKey(string key) => _values.ContainsKey(key);

    /// <inheritdoc/>
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value) =>
        _values.TryGetValue(key, out value);

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
    {
        foreach (var key in _keys)
        {
            yield return new KeyValuePair<string, string>(key, _values[key]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
