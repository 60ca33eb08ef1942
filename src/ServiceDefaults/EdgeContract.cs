namespace RfpioGateway.ServiceDefaults;

/// <summary>Names the gateway and the silo must agree on, in one place, since neither references the other.</summary>
public static class EdgeContract
{
    /// <summary>
    /// Set by the silo on an answer to a request whose credential (SCIM token or console session) it accepted for the
    /// host's tenant; the gateway spends the tenant's rate budget on such credentials, removes the header from every
    /// answer, and strips client-sent <c>X-Rfpio-*</c> headers.
    /// </summary>
    public const string TokenAcceptedHeader = "X-Rfpio-Token-Accepted";

    /// <summary>The console's session cookie.</summary>
    public const string SessionCookie = "rfpio_admin";
}
