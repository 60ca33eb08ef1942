using System.Collections.Frozen;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace RfpioGateway.Scim.Resources;

/// <summary>
/// Finds an attribute by a JSON property name, case-insensitively, straight from the property's UTF-8 bytes so
/// that reading a body allocates no name strings. Attribute names are ASCII; a name with any other character
/// matches nothing.
/// </summary>
internal sealed class NameIndex
{
    private const int MaxNameLength = 96;
    private readonly FrozenDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public NameIndex(IEnumerable<string> names)
    {
        var list = names.ToList();
        var map = list.Select((name, index) => (Key: name.ToLowerInvariant(), index))
            .ToFrozenDictionary(x => x.Key, x => x.index, StringComparer.Ordinal);
        _lookup = map.GetAlternateLookup<ReadOnlySpan<char>>();
        Encoded = [.. list.Select(name => JsonEncodedText.Encode(name))];
    }

    /// <summary>The names, pre-encoded for writing, by index.</summary>
    public JsonEncodedText[] Encoded { get; }

    public bool TryFind(JsonProperty property, out int index)
    {
        var raw = JsonMarshal.GetRawUtf8PropertyName(property);
        if (raw.IndexOf((byte)'\\') >= 0)
        {
            return TryFind(property.Name, out index);
        }
        if (raw.Length > MaxNameLength)
        {
            index = -1;
            return false;
        }
        Span<char> lower = stackalloc char[raw.Length];
        for (var i = 0; i < raw.Length; i++)
        {
            var b = raw[i];
            if (b >= 0x80)
            {
                index = -1;
                return false;
            }
            lower[i] = (char)(b is >= (byte)'A' and <= (byte)'Z' ? b + 32 : b);
        }
        return _lookup.TryGetValue(lower, out index);
    }

    public bool TryFind(string name, out int index)
    {
        if (name.Length > MaxNameLength)
        {
            index = -1;
            return false;
        }
        Span<char> lower = stackalloc char[name.Length];
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (c >= 0x80)
            {
                index = -1;
                return false;
            }
            lower[i] = char.ToLowerInvariant(c);
        }
        return _lookup.TryGetValue(lower, out index);
    }
}
