using System.Text;
using RfpioGateway.Grains.Abstractions;
using RfpioGateway.TenantAdmin.Console;
using RfpioGateway.ScimApi.Auth;

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

        Assert.Equal(new TenantAdminIdentity(Acme, 3, "tenant admin"), _sessions.ReadSession(cookie, Acme, Now.AddHours(7))?.Identity);
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
    public void ReadSession_TwoSignIns_DifferentSessionIds()
    {
        var identity = new TenantAdminIdentity(Acme, 1, "tenant admin");
        var first = _sessions.ReadSession(_sessions.IssueSession(identity, Now), Acme, Now)!;
        var second = _sessions.ReadSession(_sessions.IssueSession(identity, Now), Acme, Now)!;

        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(Now + ConsoleSessions.Lifetime, first.Expires);
    }

    [Fact]
    public void IsCsrfValid_OnlyTheValueForThatNonceAndSession()
    {
        var nonce = ConsoleSessions.NewNonce();

        Assert.True(_sessions.IsCsrfValid(nonce, "s1", _sessions.CsrfToken(nonce, "s1")));
        Assert.False(_sessions.IsCsrfValid(nonce, "s2", _sessions.CsrfToken(nonce, "s1")));
        Assert.False(_sessions.IsCsrfValid(nonce, "s1", _sessions.CsrfToken(nonce, "")));
        Assert.False(_sessions.IsCsrfValid(ConsoleSessions.NewNonce(), "s1", _sessions.CsrfToken(nonce, "s1")));
        Assert.False(_sessions.IsCsrfValid(nonce, "s1", null));
        Assert.False(_sessions.IsCsrfValid(null, "s1", _sessions.CsrfToken(nonce, "s1")));
    }

    [Fact]
    public void OpenFlash_ExpiredOrOtherTenant_IsNull()
    {
        var flash = _sessions.SealFlash(Acme, "reveal-1", "rfpscim_x", Now);

        Assert.Equal(("reveal-1", "rfpscim_x"), _sessions.OpenFlash(flash, Acme, Now.AddMinutes(1)));
        Assert.Null(_sessions.OpenFlash(flash, Acme, Now.AddMinutes(3)));
        Assert.Null(_sessions.OpenFlash(flash, TenantId.Parse("beta"), Now));
    }

    [Fact]
    public void SealFlash_TheSecretCannotBeReadFromTheCookie()
    {
        const string secret = "rfpscim_AAAABBBBCCCCDDDD";
        var flash = _sessions.SealFlash(Acme, "reveal-1", secret, Now);
        var bytes = Convert.FromBase64String(flash.Replace('-', '+').Replace('_', '/').PadRight(flash.Length + (4 - flash.Length % 4) % 4, '='));

        Assert.DoesNotContain("rfpscim_", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        Assert.DoesNotContain("rfpscim_", flash, StringComparison.Ordinal);
        var tampered = flash[..^2] + (flash[^2] == 'A' ? 'B' : 'A') + flash[^1];
        Assert.Null(_sessions.OpenFlash(tampered, Acme, Now));
    }
}
