using System.Text;
using RfpioGateway.Grains.Abstractions;
using RfpioGateway.Scim.Resources;
using RfpioGateway.Scim.Schemas;

namespace RfpioGateway.Grains.Tests;

/// <summary>What an IdP does, expressed as grain calls, and how a test reads the outcome.</summary>
internal static class Users
{
    public static async Task<TenantId> TenantAsync(IGrainFactory grains, string name, int shards = 4)
    {
        var tenant = TenantId.Parse(name);
        await grains.GetGrain<ITenantGrain>(GrainKeys.Tenant(tenant)).EnsureAsync(shards);
        return tenant;
    }

    public static Task<ResourceResult> CreateAsync(IGrainFactory grains, TenantId tenant, string json) =>
        grains.GetGrain<IUserGrain>(GrainKeys.User(tenant, ResourceIds.New())).CreateAsync(Encoding.UTF8.GetBytes(json));

    public static Task<ResourceResult> PatchAsync(IGrainFactory grains, TenantId tenant, string id, string operationsJson) =>
        grains.GetGrain<IUserGrain>(GrainKeys.User(tenant, id)).PatchAsync(
            Encoding.UTF8.GetBytes($$"""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{{operationsJson}}]}"""), null);

    /// <summary>The user that <c>filter=userName eq</c> would find: the key's holder, if its document still has that name.</summary>
    public static async Task<ResourceSnapshot?> FindAsync(IGrainFactory grains, TenantId tenant, string userName)
    {
        var owner = await grains.GetGrain<IUniqueKeyGrain>(GrainKeys.UserName(tenant, userName)).ResolveAsync();
        if (owner is null || await grains.GetGrain<IUserGrain>(GrainKeys.User(tenant, owner)).GetAsync() is not { } user)
        {
            return null;
        }
        var document = ScimDocument.Load(ScimSchemas.UserResourceType, user.Document);
        return string.Equals(document.UserName, userName, StringComparison.OrdinalIgnoreCase) ? user : null;
    }

    /// <summary>Ids in the tenant's directory shards whose user exists (a summary left by a crashed delete does not count).</summary>
    public static async Task<List<string>> ListedAsync(IGrainFactory grains, TenantId tenant, int shards = 4)
    {
        var listed = new List<string>();
        for (var i = 0; i < shards; i++)
        {
            var page = await grains.GetGrain<IDirectoryShardGrain>(GrainKeys.Shard(tenant, i)).ReadAsync(null, 0, int.MaxValue);
            foreach (var summary in page.Resources)
            {
                if (await grains.GetGrain<IUserGrain>(GrainKeys.User(tenant, summary.Id)).GetAsync() is not null)
                {
                    listed.Add(summary.Id);
                }
            }
        }
        return listed;
    }

    public static async Task<ResourceResult?> TryAsync(Func<Task<ResourceResult>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (IsInjected(e))
        {
            return null;
        }
    }

    /// <summary>
    /// How many storage writes an operation makes, counted on a fresh tenant. The operation may restart the count
    /// itself (<c>FaultyGrainStorage.Count</c>) after setting up what it changes.
    /// </summary>
    public static async Task<int> CountWritesAsync(IGrainFactory grains, string tenantName, Func<TenantId, Task<ResourceResult>> operation)
    {
        var tenant = await TenantAsync(grains, tenantName);
        FaultyGrainStorage.Count(tenant.Value);
        var result = await operation(tenant);
        Assert.True(result.IsSuccess, result.Failure?.Detail);
        return FaultyGrainStorage.Disarm(tenant.Value)!.Seen;
    }

    /// <summary>Orleans wraps storage failures (and may carry them across silos as text): look through the chain.</summary>
    private static bool IsInjected(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is InjectedStorageFaultException || e.Message.Contains("Injected failure", StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }
}
