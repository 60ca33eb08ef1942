using System.Text;
using RfpioGateway.Grains.Abstractions;
using RfpioGateway.Silo.AdminConsole;
using RfpioGateway.Silo.Auth;

namespace RfpioGateway.Silo.Tests;

public sealed class ConsoleSessionsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
    private static readonly TenantId Acme = TenantId.Parse("acme");
    private readonly ConsoleSessions _sessions = new(new TokenService(Encoding.UTF8.GetBytes("pepper-one")));

    [Fact]
    public void ReadSession_IssuedCookie_IsTheIdentityUntilExpiry()
    {
        var cookie = _sessions.IssueSession(new TenantAdminIdentity(Acme, 3, "tenant admin"), Now);

        Assert.Equal(new TenantAdminIdentity(Acme, 3, "tenant admin"), _sessions.ReadSession(cookie, Acme, Now.AddHours(7)));
        Assert.Null(_sessions.ReadSession(cookie, Acme, Now.AddHours(9)));
    }

    [Fact]
    public void ReadSession_OtherTenantsHost_IsNull()
    {
        var cookie = _sessions.IssueSession(new TenantAdminIdentity(Acme, 1, "tenant admin"), Now);

        Assert.Null(_sessions.ReadSession(cookie, TenantId.Parse("beta"), Now));
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("a.b.c")]
    [InlineData("!!!.???")]
    public void ReadSession_Malformed_IsNull(string cookie) => Assert.Null(_sessions.ReadSession(cookie, Acme, Now));

    [Fact]
    public void ReadSession_TamperedOrOtherKey_IsNull()
    {
        var cookie = _sessions.IssueSession(new TenantAdminIdentity(Acme, 1, "tenant admin"), Now);
        var other = new ConsoleSessions(new TokenService(Encoding.UTF8.GetBytes("pepper-two")));
        var payload = Encoding.UTF8.GetString(Convert.FromBase64String(cookie.Split('.')[0].PadRight(cookie.Split('.')[0].Length + 3 & ~3, '=').Replace('-', '+').Replace('_', '/')));
        var raised = Convert.ToBase64String(Encoding.UTF8.GetBytes(payload.Replace("|1|", "|9|", StringComparison.Ordinal))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        Assert.Null(other.ReadSession(cookie, Acme, Now));
        Assert.Null(_sessions.ReadSession(raised + "." + cookie.Split('.')[1], Acme, Now));
    }

    [Fact]
    public void IsCsrfValid_OnlyTheValueForThatNonce()
    {
        var nonce = ConsoleSessions.NewNonce();

        Assert.True(_sessions.IsCsrfValid(nonce, _sessions.CsrfToken(nonce)));
        Assert.False(_sessions.IsCsrfValid(ConsoleSessions.NewNonce(), _sessions.CsrfToken(nonce)));
        Assert.False(_sessions.IsCsrfValid(nonce, null));
        Assert.False(_sessions.IsCsrfValid(null, _sessions.CsrfToken(nonce)));
    }

    [Fact]
    public void OpenFlash_ExpiredOrOtherTenant_IsNull()
    {
        var flash = _sessions.SealFlash(Acme, "rfpscim_x", Now);

        Assert.Equal("rfpscim_x", _sessions.OpenFlash(flash, Acme, Now.AddMinutes(1)));
        Assert.Null(_sessions.OpenFlash(flash, Acme, Now.AddMinutes(3)));
        Assert.Null(_sessions.OpenFlash(flash, TenantId.Parse("beta"), Now));
    }
}
