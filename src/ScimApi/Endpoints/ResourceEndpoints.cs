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
            (HttpContext c, ResourceDirectory d, MembershipAttributes m, ServiceProviderConfigOptions o) => ListAsync(c, type, d, m, o), type);
        yield return new(plural, "POST", ScimOperations.Of(type, ScimOperations.Create),
            (HttpContext c, IGrainFactory g, MembershipAttributes m, ServiceProviderConfigOptions o) => CreateAsync(c, type, g, m, o), type);
        yield return new(plural + "/.search", "POST", ScimOperations.Of(type, ScimOperations.Search),
            (HttpContext c, ResourceDirectory d, MembershipAttributes m, ServiceProviderConfigOptions o) => SearchAsync(c, type, d, m, o), type);
        yield return new(one, "GET", ScimOperations.Of(type, ScimOperations.Get),
            (HttpContext c, string id, IGrainFactory g, MembershipAttributes m) => GetAsync(c, type, id, g, m), type);
        yield return new(one, "PUT", ScimOperations.Of(type, ScimOperations.Replace),
            (HttpContext c, string id, IGrainFactory g, MembershipAttributes m, ServiceProviderConfigOptions o) =>
                UpdateAsync(c, type, id, g, m, o, patch: false), type);
        yield return new(one, "PATCH", ScimOperations.Of(type, ScimOperations.Patch),
            (HttpContext c, string id, IGrainFactory g, MembershipAttributes m, ServiceProviderConfigOptions o) =>
                UpdateAsync(c, type, id, g, m, o, patch: true), type);
        yield return new(one, "DELETE", ScimOperations.Of(type, ScimOperations.Delete),
            (HttpContext c, string id, IGrainFactory g) => DeleteAsync(c, type, id, g), type);
    }

    private static TenantId Tenant(HttpContext context) => ScimRequest.Of(context)!.Tenant!.Value;

    private static string Location(HttpContext context, ResourceType type, string id) =>
        $"{ScimHttp.BaseUrl(context)}/{type.Plural}/{id}";

    private static async Task ListAsync(HttpContext context, ResourceType type, ResourceDirectory directory, MembershipAttributes memberships,
        ServiceProviderConfigOptions options)
    {
        var query = context.Request.Query;
        var request = SearchRequest.FromQuery(name => query.TryGetValue(name, out var value) ? value.ToString() : null, type.Schema, options);
        await AnswerSearchAsync(context, type, directory, memberships, request);
    }

    private static async Task SearchAsync(HttpContext context, ResourceType type, ResourceDirectory directory, MembershipAttributes memberships,
        ServiceProviderConfigOptions options)
    {
        var body = await ScimHttp.ReadBodyAsync(context.Request, options.MaxPayloadSize);
        if (!body.TryGetValue(out var bytes, out var error))
        {
            await ScimHttp.WriteErrorAsync(context, error);
            return;
        }
        await AnswerSearchAsync(context, type, directory, memberships, SearchRequest.FromBody(bytes, type.Schema, options));
    }

    private static async Task AnswerSearchAsync(HttpContext context, ResourceType type, ResourceDirectory directory, MembershipAttributes memberships,
        ScimResult<SearchRequest> parsed)
    {
        if (!parsed.TryGetValue(out var request, out var error))
        {
            await ScimHttp.WriteErrorAsync(context, error);
            return;
        }
        ScimRequest.Of(context)!.Query = request.Filter?.ToString();
        if (request.Cursor is not null)
        {
            await context.RequestServices.GetRequiredService<CursorWalks>().AnswerAsync(context, type, directory, memberships, request);
            return;
        }
        var result = await directory.SearchAsync(type, Tenant(context), request);
        if (!result.TryGetValue(out var page, out error))
        {
            await ScimHttp.WriteErrorAsync(context, error);
            return;
        }
        await WriteListAsync(context, [.. page.Resources.Select(r => (type, r, request.Selection))], page.Total,
            writer => writer.WriteNumber("startIndex", request.StartIndex), memberships);
    }

    /// <summary>A <c>ListResponse</c> of resources of one or more types, each shown with its own selection.</summary>
    /// <param name="total">totalResults, or null where it is not known without reading every match (a filtered cursor walk).</param>
    /// <param name="paging">Writes the paging members: startIndex, or RFC 9865's nextCursor.</param>
    internal static Task WriteListAsync(HttpContext context, IReadOnlyList<(ResourceType Type, ListedResource Listed, AttributeSelection Selection)> items,
        int? total, Action<Utf8JsonWriter> paging, MembershipAttributes memberships)
    {
        var streamed = items.Any(i => MembershipAttributes.Streams(i.Type) && MembershipAttributes.Shown(i.Type, i.Selection));
        return WriteJsonAsync(context, StatusCodes.Status200OK, etag: null, location: null, streamed, async (writer, flush) =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("schemas");
            writer.WriteStringValue(ScimMessages.ListResponse);
            writer.WriteEndArray();
            if (total is { } known)
            {
                writer.WriteNumber("totalResults", known);
            }
            paging(writer);
            writer.WriteNumber("itemsPerPage", items.Count);
            writer.WriteStartArray("Resources");
            foreach (var (type, listed, selection) in items)
            {
                await WriteResourceAsync(writer, context, type, listed.Snapshot, listed.Document, selection, memberships, flush);
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    /// <summary>
    /// Writes a JSON answer: buffered with a Content-Length, or, when it holds attributes read from the membership
    /// store (<paramref name="streamed"/>), straight to the response in pages, so a 100,000-member group never sits
    /// in one buffer.
    /// </summary>
    private static async Task WriteJsonAsync(HttpContext context, int status, string? etag, string? location, bool streamed,
        Func<Utf8JsonWriter, Func<ValueTask>, Task> write)
    {
        var options = new JsonWriterOptions { Encoder = ScimJson.Encoder };
        if (!streamed)
        {
            var buffer = new ArrayBufferWriter<byte>(4096);
            await using (var writer = new Utf8JsonWriter(buffer, options))
            {
                await write(writer, () => ValueTask.CompletedTask);
            }
            await ScimHttp.WriteAsync(context, status, buffer.WrittenMemory, etag, location);
            return;
        }
        ScimHttp.Start(context, status, etag, location);
        var body = context.Response.BodyWriter;
        await using (var writer = new Utf8JsonWriter(body, options))
        {
            await write(writer, async () =>
            {
                await writer.FlushAsync(context.RequestAborted);
                await body.FlushAsync(context.RequestAborted);
            });
        }
        await body.FlushAsync(context.RequestAborted);
    }

    private static async Task WriteResourceAsync(Utf8JsonWriter writer, HttpContext context, ResourceType type, ResourceSnapshot resource,
        ScimDocument document, AttributeSelection selection, MembershipAttributes memberships, Func<ValueTask> flush)
    {
        ResourceRenderer.WriteOpen(writer, document, Meta(context, type, resource), selection);
        await memberships.WriteAsync(writer, type, Tenant(context), resource.Id, selection, ScimHttp.BaseUrl(context), flush);
        writer.WriteEndObject();
    }

    private static async Task CreateAsync(HttpContext context, ResourceType type, IGrainFactory grains, MembershipAttributes memberships,
        ServiceProviderConfigOptions options)
    {
        var body = await ScimHttp.ReadBodyAsync(context.Request, options.MaxPayloadSize);
        if (!body.TryGetValue(out var bytes, out var error))
        {
            await ScimHttp.WriteErrorAsync(context, error);
            return;
        }
        var grain = type.GrainOf(grains, Tenant(context), ResourceIds.New());
        var result = await FreshGrain.CreateAsync(grain, () => grain.CreateAsync(bytes));
        // A user just created is in no group yet: its answer needs no membership read.
        await WriteResultAsync(context, type, result, StatusCodes.Status201Created, withLocation: true,
            type == UserResource.Type ? null : memberships);
    }

    private static async Task GetAsync(HttpContext context, ResourceType type, string id, IGrainFactory grains, MembershipAttributes memberships)
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
        if (!MembershipAttributes.Shown(type, projection))
        {
            await ScimHttp.WriteAsync(context, StatusCodes.Status200OK, ResourceRenderer.Render(document, Meta(context, type, resource), projection), etag);
            return;
        }
        await WriteJsonAsync(context, StatusCodes.Status200OK, etag, location: null, streamed: MembershipAttributes.Streams(type),
            (writer, flush) => WriteResourceAsync(writer, context, type, resource, document, projection, memberships, flush));
    }

    private static async Task UpdateAsync(HttpContext context, ResourceType type, string id, IGrainFactory grains, MembershipAttributes memberships,
        ServiceProviderConfigOptions options, bool patch)
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
        var resource = type.GrainOf(grains, Tenant(context), id);
        var result = patch ? await resource.PatchAsync(bytes, IfMatch(context)) : await resource.ReplaceAsync(bytes, IfMatch(context));
        if (patch && type.PatchAnswersNoContent && result.Resource is { } patched)
        {
            Note(context, type, patched.Id, ScimDocument.Load(type.Schema, patched.Document));
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            context.Response.Headers.ETag = ETag.Format(patched.Version);
            return;
        }
        await WriteResultAsync(context, type, result, StatusCodes.Status200OK, withLocation: false, memberships);
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

    /// <param name="memberships">Null when the answer shows no membership (a user just created).</param>
    private static async Task WriteResultAsync(HttpContext context, ResourceType type, ResourceResult result, int status, bool withLocation,
        MembershipAttributes? memberships)
    {
        if (result.Failure is { } failure)
        {
            await ScimHttp.WriteErrorAsync(context, failure.ToError());
            return;
        }
        var resource = result.Resource!;
        var document = ScimDocument.Load(type.Schema, resource.Document);
        Note(context, type, resource.Id, document);
        var location = withLocation ? Location(context, type, resource.Id) : null;
        if (memberships is null || !MembershipAttributes.Shown(type, AttributeSelection.Default))
        {
            await ScimHttp.WriteAsync(context, status, ResourceRenderer.Render(document, Meta(context, type, resource)), ETag.Format(resource.Version), location);
            return;
        }
        await WriteJsonAsync(context, status, ETag.Format(resource.Version), location, streamed: MembershipAttributes.Streams(type),
            (writer, flush) => WriteResourceAsync(writer, context, type, resource, document, AttributeSelection.Default, memberships, flush));
    }
}
