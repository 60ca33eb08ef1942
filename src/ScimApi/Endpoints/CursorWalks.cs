using RfpioGateway.Grains;
using RfpioGateway.Grains.Abstractions;
using RfpioGateway.Scim.Protocol;
using RfpioGateway.ScimApi.Pipeline;

namespace RfpioGateway.ScimApi.Endpoints;

/// <summary>
/// Answers a list or search that asked for cursor paging (RFC 9865): checks the cursor against the query it belongs
/// to, reads one page from the directory and hands out the next cursor. Cursors are signed with a key derived from
/// the token pepper, which every silo of a cluster shares, so any silo can continue a walk another began.
/// </summary>
internal sealed class CursorWalks(CursorCodec codec, TimeProvider time, ServiceProviderConfigOptions options)
{
    public async Task AnswerAsync(HttpContext context, ResourceType type, ResourceDirectory directory, MembershipAttributes memberships, SearchRequest request)
    {
        var tenant = ScimRequest.Of(context)!.Tenant!.Value;
        var scope = $"{tenant.Value}\n{type.Name}\n{request.Filter}";
        var now = time.GetUtcNow();
        CursorPosition? from = null;
        if (request.Cursor is { Length: > 0 } cursor)
        {
            var read = codec.Read(cursor, scope, now, options.CursorTimeout);
            if (!read.TryGetValue(out from, out var invalid))
            {
                await ScimHttp.WriteErrorAsync(context, invalid);
                return;
            }
        }
        var walked = await directory.WalkAsync(type, tenant, request, from, now);
        if (!walked.TryGetValue(out var page, out var error))
        {
            await ScimHttp.WriteErrorAsync(context, error);
            return;
        }
        var next = page.Next is { } position ? codec.Issue(position, scope) : null;
        await ResourceEndpoints.WriteListAsync(context, [.. page.Resources.Select(r => (type, r, request.Selection))], page.Total, writer =>
        {
            if (next is not null)
            {
                writer.WriteString("nextCursor", next);
            }
        }, memberships);
    }
}
