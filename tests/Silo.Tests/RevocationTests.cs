using System.Net;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using RfpioGateway.Grains.Abstractions;
using RfpioGateway.ScimApi.Auth;
using RfpioGateway.Silo.Hosting;

namespace RfpioGateway.Silo.Tests;

/// <summary>
/// A revocation, rotation or switch-off made on a silo takes effect there on the next request, whatever the silo
/// cached before. The verdict cache runs on a clock the test moves (real tenant grains of the shared silo), so
/// the instants around the cache's own expiries are hit exactly, without sleeping.
/// </summary>
[Collection(SiloCollection.Name)]
public sealed class RevocationTests(SiloServer silo)
{
    private static readonly TimeSpan Ttl = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData("revoke")]
    [InlineData("rotate")]
    [InlineData("switch-off")]
    public async Task Authorize_ChangeJustAfterAnEarlierChangeAgedOut_RefusedOnTheNextRequest(string change)
    {
        var tenant = TenantId.Parse($"revocation-{change}");
        var token = await silo.CreateTenantAsync(tenant.Value);
        var (authorizer, changes, time) = Build();
        authorizer.Invalidate(tenant); // an earlier change (the token's own issue) made through this silo

        // Used just before that change's bookkeeping would have expired, and again just after.
        time.Advance(Ttl - TimeSpan.FromMilliseconds(100));
        Assert.Equal(TenantAccess.Granted, (await authorizer.AuthorizeAsync(tenant, token)).Access);
        time.Advance(TimeSpan.FromSeconds(1.2));
        Assert.Equal(TenantAccess.Granted, (await authorizer.AuthorizeAsync(tenant, token)).Access);

        await ApplyAsync(change, tenant);
        authorizer.Invalidate(tenant);

        Assert.NotEqual(TenantAccess.Granted, (await authorizer.AuthorizeAsync(tenant, token)).Access);
    }

    [Fact]
    public async Task Authorize_ChangeWhileTheGrainCallIsInFlight_VerdictNotReused()
    {
        var tenant = TenantId.Parse("revocation-inflight");
        var token = await silo.CreateTenantAsync(tenant.Value);
        var (authorizer, _, _) = Build();

        // The verdict is read before the change but cached after it: it must not be used again.
        var pending = authorizer.AuthorizeAsync(tenant, token);
        authorizer.Invalidate(tenant);
        await pending;
        await ApplyAsync("revoke", tenant);

        Assert.Equal(TenantAccess.Denied, (await authorizer.AuthorizeAsync(tenant, token)).Access);
    }

    [Fact]
    public async Task Authorize_TheTenantsToken_VerdictCarriesItsShardCount()
    {
        var tenant = TenantId.Parse("revocation-shards");
        var token = await silo.CreateTenantAsync(tenant.Value);
        var (authorizer, _, _) = Build();
        var info = await Grains.GetGrain<ITenantGrain>(GrainKeys.Tenant(tenant)).GetInfoAsync();

        Assert.Equal(new TenantVerdict(TenantAccess.Granted, info.ShardCount), await authorizer.AuthorizeAsync(tenant, token));
        Assert.Equal(new TenantVerdict(TenantAccess.Denied, 0), await authorizer.AuthorizeAsync(tenant, token + "x"));
    }

    [Fact]
    public async Task Sweep_AfterTheCacheTime_ForgetsChanges()
    {
        var tenant = TenantId.Parse("revocation-sweep");
        await silo.CreateTenantAsync(tenant.Value);
        var (authorizer, changes, time) = Build();
        authorizer.Invalidate(tenant);
        changes.Sweep();
        Assert.Equal(1, changes.Count);

        time.Advance(Ttl + TimeSpan.FromSeconds(1));
        changes.Sweep();

        Assert.Equal(0, changes.Count);
    }

    [Fact]
    public async Task Scim_RevokedThroughTheOperatorApi_NextRequestRefused()
    {
        const string tenant = "revocation-http";
        var token = await silo.CreateTenantAsync(tenant);
        for (var round = 0; round < 20; round++)
        {
            await ScimAssert.Ok(await silo.Scim(HttpMethod.Get, tenant, token, "/Users"));
            Assert.Equal(HttpStatusCode.NoContent, (await silo.Admin(HttpMethod.Delete, $"/admin/v1/tenants/{tenant}/token")).StatusCode);
            await ScimAssert.Error(await silo.Scim(HttpMethod.Get, tenant, token, "/Users"), HttpStatusCode.Unauthorized);
            token = await silo.IssueTokenAsync(tenant);
        }
    }

    private (TenantAuthorizer Authorizer, VerdictChanges Changes, ManualTime Time) Build()
    {
        var time = new ManualTime();
        var cache = new MemoryCache(new MemoryCacheOptions { Clock = time, SizeLimit = 1000 });
        var changes = new VerdictChanges(time, Options.Create(new AuthOptions { VerdictCacheSeconds = (int)Ttl.TotalSeconds }));
        return (new TenantAuthorizer(Grains, silo.Services.GetRequiredService<TokenService>(), cache, changes), changes, time);
    }

    private IGrainFactory Grains => silo.Services.GetRequiredService<IGrainFactory>();

    private async Task ApplyAsync(string change, TenantId tenant)
    {
        var grain = Grains.GetGrain<ITenantGrain>(GrainKeys.Tenant(tenant));
        switch (change)
        {
            case "revoke":
                await grain.RevokeTokenAsync();
                break;
            case "rotate":
                var fresh = TokenService.NewToken();
                await grain.SetTokenAsync(silo.Services.GetRequiredService<TokenService>().Digest(fresh), TokenService.Fingerprint(fresh), DateTimeOffset.UtcNow);
                break;
            default:
                await grain.SetProvisioningAsync(false);
                break;
        }
    }
}
