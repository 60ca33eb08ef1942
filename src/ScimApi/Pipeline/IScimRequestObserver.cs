namespace RfpioGateway.ScimApi.Pipeline;

/// <summary>Learns of every answered SCIM request (the activity log is one); called after the response, on the request's thread.</summary>
internal interface IScimRequestObserver
{
    void Completed(HttpContext context, ScimRequest request, TimeSpan elapsed);
}
