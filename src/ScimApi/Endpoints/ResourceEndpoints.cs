using System.Buffers;
using System.Text.Json;
using RfpioGateway.Grains;
using RfpioGateway.Grains.Abstractions;
using RfpioGateway.Scim.Errors;
using RfpioGateway.Scim.Json;
using RfpioGateway.Scim.Protocol;
using RfpioGateway.Scim.Resources;
using RfpioGateway.ScimApi.Pipeline;

namespace RfpioGateway.ScimApi.Endpoints;

/// <summary>The endpoints every resource type has (RFC 7644 §3.3–3.6), written once and bound to a type by its routes.</summary>
internal static class ResourceEndpoints
{
    public static IEnumerable<ScimRoute> Routes(ResourceType type)
    {
        var plural = "/" + type.Plural;
        var one = plural + "/{id}";
        yield return new(plural, "GET", ScimOperations.Of(type, ScimOperations.List),
            (HttpContext c, ResourceDirectory d, ServiceProviderConfigOptions o) => ListAsync(c, type, d, o), type);
        yield return new(plural, "POST", ScimOperations.Of(type, ScimOperations.Create),
            (HttpContext c, IGrainFactory g, ServiceProviderConfigOptions o) => CreateAsync(c, type, g, o), type);
        yield return new(plural + "/.search", "POST", ScimOperations.Of(type, ScimOperations.Search),
            (HttpContext c, ResourceDirectory d, ServiceProviderConfigOptions o) => SearchAsync(c, type, d, o), type);
        yield return new(one, "GET", ScimOperations.Of(type, ScimOperations.Get),
            (HttpContext c, string id, IGrainFactory g) => GetAsync(c, type, id, g), type);
        yield return new(one, "PUT", ScimOperations.Of(type, ScimOperations.Replace),
            (HttpContext c, string id, IGrainFactory g, ServiceProviderConfigOptions o) =>
                UpdateAsync(c, type, id, g, o, (resource, body, ifMatch) => resource.ReplaceAsync(body, ifMatch)), type);
        yield return new(one, "PATCH", ScimOperations.Of(type, ScimOperations.Patch),
            (HttpContext c, string id, IGrainFactory g, ServiceProviderConfigOptions o) =>
                UpdateAsync(c, type, id, g, o, (resource, body, ifMatch) => resource.PatchAsync(body, ifMatch)), type);
        yield return new(one, "DELETE", ScimOperations.Of(type, ScimOperations.Delete),
            (HttpContext c, string id, IGrainFactory g) => DeleteAsync(c, type, id, g), type);
    }

    private static TenantId Tenant(HttpContext context) => ScimRequest.Of(context)!.Tenant!.Value;

    private static string Location(HttpContext context, ResourceType type, string id) =>
        $"{ScimHttp.BaseUrl(context)}/{type.Plural}/{id}";

    private static async Task ListAsync(HttpContext context, ResourceType type, ResourceDirectory directory, ServiceProviderConfigOptions options)
    {
        var query = context.Request.Query;
        var request = SearchRequest.FromQuery(name => query.TryGetValue(name, out var value) ? value.ToString() : null, type.Schema, options);
        await AnswerSearchAsync(context, type, directory, request);
    }

    private static async Task SearchAsync(HttpContext context, ResourceType type, ResourceDirectory directory, ServiceProviderConfigOptions options)
    {
        var body = await ScimHttp.ReadBodyAsync(context.Request, options.MaxPayloadSize);
        if (!body.TryGetValue(out var bytes, out var error))
        {
            await ScimHttp.WriteErrorAsync(context, error);
            return;
        }
        await AnswerSearchAsync(context, type, directory, SearchRequest.FromBody(bytes, type.Schema, options));
    }

    private static async Task AnswerSearchAsync(HttpContext context, ResourceType type, ResourceDirectory directory, ScimResult<SearchRequest> parsed)
    {
        if (!parsed.TryGetValue(out var request, out var error))
        {
            await ScimHttp.WriteErrorAsync(context, error);
            return;
        }
        var result = await directory.SearchAsync(type, Tenant(context), request);
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
            writer.WriteNumber("itemsPerPage", page.Resources.Count);
            writer.WriteStartArray("Resources");
            foreach (var listed in page.Resources)
            {
                ResourceRenderer.Write(writer, listed.Document, Meta(context, type, listed.Snapshot), request.Selection);
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        await ScimHttp.WriteAsync(context, StatusCodes.Status200OK, buffer.WrittenMemory);
    }

    private static async Task CreateAsync(HttpContext context, ResourceType type, IGrainFactory grains, ServiceProviderConfigOptions options)
    {
        var body = await ScimHttp.ReadBodyAsync(context.Request, options.MaxPayloadSize);
        if (!body.TryGetValue(out var bytes, out var error))
        {
            await ScimHttp.WriteErrorAsync(context, error);
            return;
        }
        var result = await type.GrainOf(grains, Tenant(context), ResourceIds.New()).CreateAsync(bytes);
        await WriteResultAsync(context, type, result, StatusCodes.Status201Created, withLocation: true);
    }

    private static async Task GetAsync(HttpContext context, ResourceType type, string id, IGrainFactory grains)
    {
        var resource = ResourceIds.IsValid(id) ? await type.GrainOf(grains, Tenant(context), id).GetAsync() : null;
        if (resource is null)
        {
            await ScimHttp.WriteErrorAsync(context, NotFound(type, id));
            return;
        }
        var document = ScimDocument.Load(type.Schema, resource.Document);
        Note(context, type, resource.Id, document);
        var etag = ETag.Format(resource.Version);
        if (context.Request.Headers.IfNoneMatch.ToString() is { Length: > 0 } ifNoneMatch && ETag.Matches(ifNoneMatch, resource.Version))
        {
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            context.Response.Headers.ETag = etag;
            return;
        }
        var selection = AttributeSelection.Parse(context.Request.Query["attributes"], context.Request.Query["excludedAttributes"], type.Schema);
        if (!selection.TryGetValue(out var projection, out var error))
        {
            await ScimHttp.WriteErrorAsync(context, error);
            return;
        }
        await ScimHttp.WriteAsync(context, StatusCodes.Status200OK, ResourceRenderer.Render(document, Meta(context, type, resource), projection), etag);
    }

    private static async Task UpdateAsync(HttpContext context, ResourceType type, string id, IGrainFactory grains, ServiceProviderConfigOptions options,
        Func<IResourceGrain, byte[], string?, Task<ResourceResult>> update)
    {
        var body = await ScimHttp.ReadBodyAsync(context.Request, options.MaxPayloadSize);
        if (!body.TryGetValue(out var bytes, out var error))
        {
            await ScimHttp.WriteErrorAsync(context, error);
            return;
        }
        if (!ResourceIds.IsValid(id))
        {
            await ScimHttp.WriteErrorAsync(context, NotFound(type, id));
            return;
        }
        ScimRequest.Of(context)!.UpdateBody = bytes;
        var result = await update(type.GrainOf(grains, Tenant(context), id), bytes, IfMatch(context));
        await WriteResultAsync(context, type, result, StatusCodes.Status200OK, withLocation: false);
    }

    private static async Task DeleteAsync(HttpContext context, ResourceType type, string id, IGrainFactory grains)
    {
        if (!ResourceIds.IsValid(id))
        {
            await ScimHttp.WriteErrorAsync(context, NotFound(type, id));
            return;
        }
        var result = await type.GrainOf(grains, Tenant(context), id).DeleteAsync(IfMatch(context));
        if (result.Failure is { } failure)
        {
            await ScimHttp.WriteErrorAsync(context, failure.ToError());
            return;
        }
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static ScimError NotFound(ResourceType type, string id) => ScimError.NotFound($"{type.Name} {id} not found.");

    private static string? IfMatch(HttpContext context) =>
        context.Request.Headers.IfMatch.ToString() is { Length: > 0 } value ? value : null;

    private static ResourceMeta Meta(HttpContext context, ResourceType type, ResourceSnapshot resource) =>
        new(resource.Id, resource.Created, resource.LastModified, resource.Version, Location(context, type, resource.Id));

    /// <summary>Leaves what the answer showed of the resource on the request, for the observers.</summary>
    private static void Note(HttpContext context, ResourceType type, string id, ScimDocument document)
    {
        var request = ScimRequest.Of(context)!;
        request.ResourceId = id;
        request.ResourceName = type.DisplayName(document);
        request.ResultInactive = document.Active == false;
    }

    private static async Task WriteResultAsync(HttpContext context, ResourceType type, ResourceResult result, int status, bool withLocation)
    {
        if (result.Failure is { } failure)
        {
            await ScimHttp.WriteErrorAsync(context, failure.ToError());
            return;
        }
        var resource = result.Resource!;
        var document = ScimDocument.Load(type.Schema, resource.Document);
        Note(context, type, resource.Id, document);
        await ScimHttp.WriteAsync(context, status, ResourceRenderer.Render(document, Meta(context, type, resource)),
            ETag.Format(resource.Version), withLocation ? Location(context, type, resource.Id) : null);
    }
}
