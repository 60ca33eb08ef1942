var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();
var body = """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"0192d6a1f0e47c3b9a8e5d4c3b2a1f00","userName":"ceiling@example.com","active":true}"""u8.ToArray();
// The same static answer at the SCIM path too, so the gateway can route to it as it routes to a silo.
Task Answer(HttpContext context)
{
    context.Response.ContentType = "application/scim+json";
    return context.Response.Body.WriteAsync(body).AsTask();
}
app.MapGet("/ping", Answer);
app.MapGet("/rfpserver/scim/v2/ping", Answer);
app.MapGet("/health/ready", () => "ok");
app.Run();
