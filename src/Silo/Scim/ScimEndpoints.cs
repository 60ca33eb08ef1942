using System.Buffers;
using System.Text.Json;
using RfpioGateway.Grains.Abstractions;
using RfpioGateway.Silo.ActivityLog;
using RfpioGateway.Scim.Errors;
using RfpioGateway.Scim.Json;
using RfpioGateway.Scim.Protocol;
using RfpioGateway.Scim.Resources;
using RfpioGateway.Scim.Schemas;

namespace RfpioGateway.Silo.Scim;

/// <summary>The SCIM 2.0 HTTP API under <c>/rfpserver/scim/v2</c>: Users, discovery, and SCIM errors for everything else.</summary>
public static class ScimEndpoints
{
    public const string BasePath = "/rfpserver/scim/v2";

    public static void MapScim(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments(BasePath, StringComparison.OrdinalIgnoreCase),
            branch => branch.UseMiddleware<ScimAuthenticationMiddleware>());

        var scim = app.MapGroup(BasePath);
        scim.MapGet("/Users", ListUsers).WithName(ScimOperations.ListUsers);
        scim.MapPost("/Users", CreateUser).WithName(ScimOperations.CreateUser);
        scim.MapPost("/Users/.search", SearchUsers).WithName(ScimOperations.SearchUsers);
        scim.MapGet("/Users/{id}", GetUser).WithName(ScimOperations.GetUser);
        scim.MapPut("/Users/{id}", ReplaceUser).WithName(ScimOperations.ReplaceUser);
        scim.MapPatch("/Users/{id}", PatchUser).WithName(ScimOperations.PatchUser);
        scim.MapDelete("/Users/{id}", DeleteUser).WithName(ScimOperations.DeleteUser);
        scim.MapGet("/Groups", EmptyGroups).WithName(ScimOperations.ListGroups);
        scim.MapGet("/ServiceProviderConfig", ServiceProviderConfig).WithName(ScimOperations.ServiceProviderConfig);
        scim.MapGet("/Schemas", Schemas).WithName(ScimOperations.ListSchemas);
        scim.MapGet("/Schemas/{id}", Schema).WithName(ScimOperations.GetSchema);
        scim.MapGet("/ResourceTypes", ResourceTypes).WithName(ScimOperations.ListResourceTypes);
        scim.MapGet("/ResourceTypes/{name}", ResourceType).WithName(ScimOperations.GetResourceType);

        // Everything else under the base path answers in SCIM's format too.
        var allowed = new Dictionary<string, string[]>
        {
            ["/Users"] = ["GET", "POST"],
            ["/Users/.search"] = ["POST"],
            ["/Users/{id}"] = ["GET", "PUT", "PATCH", "DELETE"],
            ["/Groups"] = ["GET"],
            ["/ServiceProviderConfig"] = ["GET"],
            ["/Schemas"] = ["GET"],
            ["/Schemas/{id}"] = ["GET"],
            ["/ResourceTypes"] = ["GET"],
            ["/ResourceTypes/{name}"] = ["GET"],
        };
        string[] methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
        foreach (var (path, verbs) in allowed)
        {
            scim.MapMethods(path, methods.Except(verbs), MethodNotAllowed);
        }
        scim.Map("/{**rest}", (HttpContext context) =>
            ScimHttp.WriteErrorAsync(context, ScimError.NotFound($"No SCIM endpoint at {context.Request.Path}.")));
    }

    private static TenantId Tenant(HttpContext context) => (TenantId)context.Items[ScimAuthenticationMiddleware.TenantItem]!;

    private static string BaseUrl(HttpContext context) => $"{context.Request.Scheme}://{context.Request.Host}{BasePath}";

    private static string Location(HttpContext context, string id) => $"{BaseUrl(context)}/Users/{id}";

    private static IUserGrain User(IGrainFactory grains, HttpContext context, string id) =>
        grains.Get<IUserGrain>(GrainKeys.User(Tenant(context), id));

    private static async Task ListUsers(HttpContext context, UserDirectory directory, ServiceProviderConfigOptions options)
    {
        var query = context.Request.Query;
        var request = SearchRequest.FromQuery(name => query.TryGetValue(name, out var value) ? value.ToString() : null, ScimSchemas.UserResourceType, options);
        await SearchAsync(context, directory, request);
    }

    private static async Task SearchUsers(HttpContext context, UserDirectory directory, ServiceProviderConfigOptions options)
    {
        var body = await ScimHttp.ReadBodyAsync(context.Request, options.MaxPayloadSize);
        if (!body.TryGetValue(out var bytes, out var error))
        {
            await ScimHttp.WriteErrorAsync(context, error);
            return;
        }
        await SearchAsync(context, directory, SearchRequest.FromBody(bytes, ScimSchemas.UserResourceType, options));
    }

    private static async Task SearchAsync(HttpContext context, UserDirectory directory, ScimResult<SearchRequest> parsed)
    {
        if (!parsed.TryGetValue(out var request, out var error))
        {
            await ScimHttp.WriteErrorAsync(context, error);
            return;
        }
        var result = await directory.SearchAsync(Tenant(context), request);
        if (!result.TryGetValue(out var page, out error))
        {
            await ScimHttp.WriteErrorAsync(context, error);
            return;
        }
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = ScimJson.Encoder }))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("schemas");
            writer.WriteStringValue(ScimMessages.ListResponse);
            writer.WriteEndArray();
            writer.WriteNumber("totalResults", page.Total);
            writer.WriteNumber("startIndex", request.StartIndex);
            writer.WriteNumber("itemsPerPage", page.Users.Count);
            writer.WriteStartArray("Resources");
            foreach (var listed in page.Users)
            {
                ResourceRenderer.Write(writer, listed.Document, Meta(context, listed.Snapshot), request.Selection);
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        await ScimHttp.WriteAsync(context, StatusCodes.Status200OK, buffer.WrittenMemory);
    }

    private static async Task CreateUser(HttpContext context, IGrainFactory grains, ServiceProviderConfigOptions options)
    {
        var body = await ScimHttp.ReadBodyAsync(context.Request, options.MaxPayloadSize);
        if (!body.TryGetValue(out var bytes, out var error))
        {
            await ScimHttp.WriteErrorAsync(context, error);
            return;
        }
        var result = await User(grains, context, UserIds.New()).CreateAsync(bytes);
        await WriteResultAsync(context, result, StatusCodes.Status201Created, withLocation: true);
    }

    private static async Task GetUser(HttpContext context, string id, IGrainFactory grains)
    {
        var user = UserIds.IsValid(id) ? await User(grains, context, id).GetAsync() : null;
        if (user is null)
        {
            await ScimHttp.WriteErrorAsync(context, ScimError.NotFound($"User {id} not found."));
            return;
        }
        var document = Document(user);
        ActivityNotes.User(context, user.Id, document);
        var etag = ETag.Format(user.Version);
        if (context.Request.Headers.IfNoneMatch.ToString() is { Length: > 0 } ifNoneMatch && ETag.Matches(ifNoneMatch, user.Version))
        {
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            context.Response.Headers.ETag = etag;
            return;
        }
        var selection = AttributeSelection.Parse(context.Request.Query["attributes"], context.Request.Query["excludedAttributes"], ScimSchemas.UserResourceType);
        if (!selection.TryGetValue(out var projection, out var error))
        {
            await ScimHttp.WriteErrorAsync(context, error);
            return;
        }
        await ScimHttp.WriteAsync(context, StatusCodes.Status200OK, ResourceRenderer.Render(document, Meta(context, user), projection), etag);
    }

    private static Task ReplaceUser(HttpContext context, string id, IGrainFactory grains, ServiceProviderConfigOptions options) =>
        UpdateAsync(context, id, grains, options, (user, body, ifMatch) => user.ReplaceAsync(body, ifMatch));

    private static Task PatchUser(HttpContext context, string id, IGrainFactory grains, ServiceProviderConfigOptions options) =>
        UpdateAsync(context, id, grains, options, (user, body, ifMatch) => user.PatchAsync(body, ifMatch));

    private static async Task UpdateAsync(HttpContext context, string id, IGrainFactory grains, ServiceProviderConfigOptions options,
        Func<IUserGrain, byte[], string?, Task<UserResult>> update)
    {
        var body = await ScimHttp.ReadBodyAsync(context.Request, options.MaxPayloadSize);
        if (!body.TryGetValue(out var bytes, out var error))
        {
            await ScimHttp.WriteErrorAsync(context, error);
            return;
        }
        if (!UserIds.IsValid(id))
        {
            await ScimHttp.WriteErrorAsync(context, ScimError.NotFound($"User {id} not found."));
            return;
        }
        ActivityNotes.UpdateBody(context, bytes);
        var result = await update(User(grains, context, id), bytes, IfMatch(context));
        await WriteResultAsync(context, result, StatusCodes.Status200OK, withLocation: false);
    }

    private static async Task DeleteUser(HttpContext context, string id, IGrainFactory grains)
    {
        if (!UserIds.IsValid(id))
        {
            await ScimHttp.WriteErrorAsync(context, ScimError.NotFound($"User {id} not found."));
            return;
        }
        var result = await User(grains, context, id).DeleteAsync(IfMatch(context));
        if (result.Failure is { } failure)
        {
            await ScimHttp.WriteErrorAsync(context, failure.ToError());
            return;
        }
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary>RFPIO provisions users only; an empty answer keeps an IdP with group mapping left on out of quarantine.</summary>
    private static Task EmptyGroups(HttpContext context) =>
        ScimHttp.WriteJsonAsync(context, StatusCodes.Status200OK, DiscoveryDocuments.ListResponse([]));

    private static Task ServiceProviderConfig(HttpContext context, ServiceProviderConfigOptions options) =>
        ScimHttp.WriteJsonAsync(context, StatusCodes.Status200OK, DiscoveryDocuments.ServiceProviderConfig(options, BaseUrl(context)));

    private static readonly SchemaDefinition[] Served = [ScimSchemas.User, ScimSchemas.EnterpriseUser];

    private static Task Schemas(HttpContext context) =>
        ScimHttp.WriteJsonAsync(context, StatusCodes.Status200OK,
            DiscoveryDocuments.ListResponse([.. Served.Select(s => DiscoveryDocuments.Schema(s, BaseUrl(context)))]));

    private static Task Schema(HttpContext context, string id) =>
        Served.FirstOrDefault(s => s.Id.Equals(id, StringComparison.OrdinalIgnoreCase)) is { } schema
            ? ScimHttp.WriteJsonAsync(context, StatusCodes.Status200OK, DiscoveryDocuments.Schema(schema, BaseUrl(context)))
            : ScimHttp.WriteErrorAsync(context, ScimError.NotFound($"No schema '{id}'."));

    private static Task ResourceTypes(HttpContext context) =>
        ScimHttp.WriteJsonAsync(context, StatusCodes.Status200OK,
            DiscoveryDocuments.ListResponse([DiscoveryDocuments.ResourceType(ScimSchemas.UserResourceType, BaseUrl(context))]));

    private static Task ResourceType(HttpContext context, string name) =>
        name.Equals("User", StringComparison.OrdinalIgnoreCase)
            ? ScimHttp.WriteJsonAsync(context, StatusCodes.Status200OK, DiscoveryDocuments.ResourceType(ScimSchemas.UserResourceType, BaseUrl(context)))
            : ScimHttp.WriteErrorAsync(context, ScimError.NotFound($"No resource type '{name}'."));

    private static Task MethodNotAllowed(HttpContext context) =>
        ScimHttp.WriteErrorAsync(context, ScimError.MethodNotAllowed($"{context.Request.Method} is not supported on {context.Request.Path}."));

    private static string? IfMatch(HttpContext context) =>
        context.Request.Headers.IfMatch.ToString() is { Length: > 0 } value ? value : null;

    private static ScimDocument Document(UserSnapshot user) => ScimDocument.Load(ScimSchemas.UserResourceType, user.Document);

    private static ResourceMeta Meta(HttpContext context, UserSnapshot user) =>
        new(user.Id, user.Created, user.LastModified, user.Version, Location(context, user.Id));

    private static async Task WriteResultAsync(HttpContext context, UserResult result, int status, bool withLocation)
    {
        if (result.Failure is { } failure)
        {
            await ScimHttp.WriteErrorAsync(context, failure.ToError());
            return;
        }
        var user = result.User!;
        var document = Document(user);
        ActivityNotes.User(context, user.Id, document);
        await ScimHttp.WriteAsync(context, status, ResourceRenderer.Render(document, Meta(context, user)),
            ETag.Format(user.Version), withLocation ? Location(context, user.Id) : null);
    }
}
