using System.Text.Json;
using RfpioGateway.Grains;
using RfpioGateway.Grains.Abstractions;
using RfpioGateway.Scim.Errors;
using RfpioGateway.Scim.Protocol;
using RfpioGateway.Scim.Resources;
using RfpioGateway.ScimApi.Pipeline;

namespace RfpioGateway.ScimApi.Endpoints;

/// <summary>
/// What the base URL itself serves: <c>/Bulk</c>, and queries across every resource type (RFC 7644 §3.4.2–3.4.3),
/// paged over the union in the order of <see cref="ResourceTypes.All"/> (users, then groups), or merged by
/// <c>sortBy</c>. Each result carries its own <c>schemas</c> and <c>meta.resourceType</c>.
/// </summary>
internal static class RootEndpoints
{
    private static readonly Scim.Schemas.ResourceTypeDefinition[] Types = [.. ResourceTypes.All.Select(t => t.Schema)];

    public static IEnumerable<ScimRoute> Routes()
    {
        foreach (var route in BulkEndpoints.Routes())
        {
            yield return route;
        }
        yield return new("/", "GET", ScimOperations.RootList,
            (HttpContext c, ResourceDirectory d, MembershipAttributes m, ServiceProviderConfigOptions o) => ListAsync(c, d, m, o));
        yield return new("/.search", "POST", ScimOperations.RootSearch,
            (HttpContext c, ResourceDirectory d, MembershipAttributes m, ServiceProviderConfigOptions o) => SearchAsync(c, d, m, o));
    }

    private static Task ListAsync(HttpContext context, ResourceDirectory directory, MembershipAttributes memberships, ServiceProviderConfigOptions options)
    {
        var query = context.Request.Query;
        return AnswerAsync(context, directory, memberships,
            RootSearchRequest.FromQuery(name => query.TryGetValue(name, out var value) ? value.ToString() : null, Types, options));
    }

    private static async Task SearchAsync(HttpContext context, ResourceDirectory directory, MembershipAttributes memberships, ServiceProviderConfigOptions options)
    {
        var body = await ScimHttp.ReadBodyAsync(context.Request, options.MaxPayloadSize);
        if (!body.TryGetValue(out var bytes, out var error))
        {
            await ScimHttp.WriteErrorAsync(context, error);
            return;
        }
        await AnswerAsync(context, directory, memberships, RootSearchRequest.FromBody(bytes, Types, options));
    }

    private static async Task AnswerAsync(HttpContext context, ResourceDirectory directory, MembershipAttributes memberships,
        ScimResult<RootSearchRequest> parsed)
    {
        if (!parsed.TryGetValue(out var request, out var error))
        {
            await ScimHttp.WriteErrorAsync(context, error);
            return;
        }
        var tenant = ScimRequest.Of(context)!.Tenant!.Value;
        ScimRequest.Of(context)!.Query = request.Filter;
        var found = request.Sort is null
            ? await InOrderAsync(directory, tenant, request)
            : await SortedAsync(directory, tenant, request);
        if (!found.TryGetValue(out var page, out error))
        {
            await ScimHttp.WriteErrorAsync(context, error);
            return;
        }
        await ResourceEndpoints.WriteListAsync(context, page.Items, page.Total, writer => writer.WriteNumber("startIndex", request.StartIndex), memberships);
    }

    private sealed record UnionPage(int Total, List<(ResourceType Type, ListedResource Listed, AttributeSelection Selection)> Items);

    /// <summary>Users, then groups: a count per type, and reads only of the types the page falls in.</summary>
    private static async Task<ScimResult<UnionPage>> InOrderAsync(ResourceDirectory directory, TenantId tenant, RootSearchRequest request)
    {
        var page = new UnionPage(0, []);
        var (skip, take, total) = (request.StartIndex - 1, request.Count, 0);
        for (var i = 0; i < ResourceTypes.All.Count; i++)
        {
            if (request.PerType[i] is not { } search)
            {
                continue;
            }
            var type = ResourceTypes.All[i];
            var counted = await directory.SearchAsync(type, tenant, search with { StartIndex = 1, Count = 0 });
            if (!counted.TryGetValue(out var count, out var error))
            {
                return error;
            }
            total += count.Total;
            if (take > 0 && skip < count.Total)
            {
                var read = await directory.SearchAsync(type, tenant, search with { StartIndex = skip + 1, Count = take });
                if (!read.TryGetValue(out var resources, out error))
                {
                    return error;
                }
                page.Items.AddRange(resources.Resources.Select(r => (type, r, search.Selection)));
                take -= resources.Resources.Count;
                skip = 0;
            }
            else
            {
                skip = Math.Max(0, skip - count.Total);
            }
        }
        return ScimResult<UnionPage>.Success(page with { Total = total });
    }

    /// <summary>Each type's first startIndex + count in order, merged; bounded as any sorted listing is.</summary>
    private static async Task<ScimResult<UnionPage>> SortedAsync(ResourceDirectory directory, TenantId tenant, RootSearchRequest request)
    {
        var window = request.StartIndex - 1 + request.Count;
        if (window > ResourceDirectory.MaxSortable)
        {
            return ScimError.TooMany($"A sorted search at the base URL reads up to startIndex + count resources of each type; keep that under {ResourceDirectory.MaxSortable}.");
        }
        var total = 0;
        var candidates = new List<(ResourceType Type, ListedResource Listed, AttributeSelection Selection, JsonElement Key)>();
        for (var i = 0; i < ResourceTypes.All.Count; i++)
        {
            if (request.PerType[i] is not { } search)
            {
                continue;
            }
            var type = ResourceTypes.All[i];
            var read = await directory.SearchAsync(type, tenant, search with { StartIndex = 1, Count = window });
            if (!read.TryGetValue(out var resources, out var error))
            {
                return error;
            }
            total += resources.Total;
            foreach (var listed in resources.Resources)
            {
                var snapshot = listed.Snapshot;
                var rendered = ResourceRenderer.Render(listed.Document, new ResourceMeta(snapshot.Id, snapshot.Created, snapshot.LastModified, snapshot.Version, null));
                candidates.Add((type, listed, search.Selection, JsonSerializer.Deserialize<JsonElement>(rendered)));
            }
        }
        var ordered = candidates.OrderBy(c => c.Key, request.Sort!).ThenBy(c => c.Listed.Snapshot.Id, StringComparer.Ordinal)
            .Skip(request.StartIndex - 1).Take(request.Count)
            .Select(c => (c.Type, c.Listed, c.Selection)).ToList();
        return ScimResult<UnionPage>.Success(new UnionPage(total, ordered));
    }
}
