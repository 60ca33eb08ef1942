using System.Text;

namespace RfpioGateway.Scim.Filtering;

/// <summary>
/// An RFC 7644 §3.10 attribute path: <c>[schemaUrn ":"] name ["." subAttribute]</c>, as written by the client.
/// Resolution against a schema happens in <see cref="Schemas.ResourceTypeDefinition.Resolve"/>.
/// </summary>
public sealed record AttributePath(string? Schema, string Name, string? SubAttribute = null)
{
    public override string ToString()
    {
        var builder = new StringBuilder();
        if (Schema is not null)
        {
            builder.Append(Schema).Append(':');
        }
        builder.Append(Name);
        if (SubAttribute is not null)
        {
            builder.Append('.').Append(SubAttribute);
        }
        return builder.ToString();
    }

    /// <summary>True for <c>ALPHA *(ALPHA / DIGIT / "-" / "_")</c> and for <c>$ref</c> (RFC 7644 §3.4.2.2 ATTRNAME).</summary>
    internal static bool IsValidName(ReadOnlySpan<char> name)
    {
        if (name.Equals("$ref", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }
        if (name.IsEmpty || !char.IsAsciiLetter(name[0]))
        {
            return false;
        }
        foreach (var c in name[1..])
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '-' && c != '_')
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// Splits <c>urn:…:name.sub</c> or <c>name.sub</c>; null when the text is not a valid path.
    /// The URN ends at the last colon, because attribute names never contain one.
    /// </summary>
    internal static AttributePath? TryParse(ReadOnlySpan<char> text)
    {
        string? schema = null;
        var rest = text;
        if (text.StartsWith("urn:", StringComparison.OrdinalIgnoreCase))
        {
            var colon = text.LastIndexOf(':');
            if (colon <= 4 || colon == text.Length - 1)
            {
                return null;
            }
            schema = text[..colon].ToString();
            rest = text[(colon + 1)..];
        }

        var dot = rest.IndexOf('.');
        var name = dot < 0 ? rest : rest[..dot];
        var sub = dot < 0 ? [] : rest[(dot + 1)..];
        if (!IsValidName(name) || (dot >= 0 && !IsValidName(sub)))
        {
            return null;
        }
        return new AttributePath(schema, KnownNames.Intern(name), dot < 0 ? null : KnownNames.Intern(sub));
    }
}
