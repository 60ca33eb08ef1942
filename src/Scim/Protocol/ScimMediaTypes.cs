namespace RfpioGateway.Scim.Protocol;

public static class ScimMediaTypes
{
    public const string Scim = "application/scim+json";
    public const string Json = "application/json";

    /// <summary>True for <c>application/scim+json</c> and <c>application/json</c>, with or without parameters such as charset.</summary>
    public static bool IsAcceptedRequestType(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return false;
        }
        var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        var mediaType = (semicolon < 0 ? contentType : contentType[..semicolon]).Trim();
        return mediaType.Equals(Scim, StringComparison.OrdinalIgnoreCase) || mediaType.Equals(Json, StringComparison.OrdinalIgnoreCase);
    }
}
