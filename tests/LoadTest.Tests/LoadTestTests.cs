using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using RfpioGateway.Silo.Hosting;

namespace RfpioGateway.LoadTest.Tests;

public sealed class LoadTestTests
{
    [Fact]
    public void Jain_EqualShares_IsOneAndOneTakingAll_IsOneOverN()
    {
        Assert.Equal(1.0, Report.Jain([5, 5, 5, 5]), 6);
        Assert.Equal(0.25, Report.Jain([10, 0, 0, 0]), 6);
    }

    [Fact]
    public void Percentile_NearestRank()
    {
        double[] sorted = [.. Enumerable.Range(1, 100).Select(i => (double)i)];

        Assert.Equal(50, Report.Percentile(sorted, 50));
        Assert.Equal(99, Report.Percentile(sorted, 99));
        Assert.Equal(100, Report.Percentile(sorted, 100));
        Assert.Equal(0, Report.Percentile([], 99));
    }

    [Theory]
    [InlineData("--target", "http://10.0.0.5:8080")]
    [InlineData("--admin", "http://example.com")]
    [InlineData("--tenants", "0")]
    [InlineData("--bogus", "1")]
    public void Parse_NotLoopbackOrOutOfRange_IsRefused(string option, string value) =>
        Assert.ThrowsAny<ArgumentException>(() => LoadOptions.Parse([option, value, "--admin-key", "k"]));

    [Fact]
    public void Parse_KeepTenants_OnlyWhenAsked()
    {
        Assert.False(LoadOptions.Parse(["--admin-key", "k"]).KeepTenants);
        Assert.True(LoadOptions.Parse(["--admin-key", "k", "--keep-tenants"]).KeepTenants);
    }

    [Fact]
    public void Parse_NoAdminKey_IsRefused() =>
        Assert.Throws<ArgumentException>(() => LoadOptions.Parse(["--admin-key-file", "/nonexistent/key"]));

    [Fact]
    public async Task RunAsync_AgainstARealSilo_CreatesUpdatesDisablesDeletesWithoutErrors()
    {
        await using var silo = SiloHost.Build([$"--contentRoot={Path.Combine(AppContext.BaseDirectory, "silo")}", "--Urls=http://127.0.0.1:0",
            "--Storage:Provider=Memory", "--Admin:ApiKey=load-key", "--Auth:TokenPepper=p", $"--Orleans:SiloPort={FreePorts.Next()}",
            $"--Orleans:GatewayPort={FreePorts.Next()}", "--Logging:LogLevel:Default=Warning"]);
        await silo.StartAsync();
        var address = new Uri(silo.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        var options = LoadOptions.Parse(["--target", address.ToString(), "--admin", address.ToString(), "--admin-key", "load-key",
            "--tenants", "2", "--users", "20", "--cycles", "1", "--prefix", "loadtool", "--no-live"]);
        using var http = new HttpClient();
        using var overall = new SemaphoreSlim(options.MaxConcurrency);
        var recorder = new Recorder();
        var driver = new EntraDriver(http, options, recorder, overall);

        var tenants = await Task.WhenAll(Enumerable.Range(0, 2).Select(i => driver.SetUpAsync($"loadtool-{i}", noisy: false, CancellationToken.None)));
        await Task.WhenAll(tenants.Select(t => driver.RunAsync(t, CancellationToken.None)));
        var report = Report.From(options, DateTimeOffset.UtcNow, recorder.Elapsed.TotalSeconds, recorder.Samples, new HashSet<string>());

        Assert.Empty(report.ErrorsByStatus);
        Assert.Equal(40, report.UsersCreated);
        var operations = report.Operations.ToDictionary(o => o.Operation, o => o.Count);
        Assert.Equal(new Dictionary<string, long> { ["TestConnection"] = 2, ["Filter"] = 40, ["Create"] = 40, ["Get"] = 40, ["Patch"] = 40, ["ListPage"] = 2, ["Disable"] = 4, ["Delete"] = 2 }, operations);
        Assert.Equal(2, report.Tenants.Count);
        Assert.InRange(report.JainFairness, 0.5, 1.0);
        var folder = Path.Combine(Path.GetTempPath(), "rfpio-loadtest-tests", Guid.NewGuid().ToString("N"));
        await report.WriteAsync(folder);
        var html = await File.ReadAllTextAsync(Path.Combine(folder, "report.html"));
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        // The charts can be read on their own: units on the axes, tick labels, the tenants named, a legend.
        Assert.Contains(">req/s</text>", html, StringComparison.Ordinal);
        Assert.Contains(">p99 ms</text>", html, StringComparison.Ordinal);
        Assert.Contains(">seconds since the start</text>", html, StringComparison.Ordinal);
        Assert.Contains(">loadtool-0</text>", html, StringComparison.Ordinal);
        Assert.Contains(">loadtool-1</text>", html, StringComparison.Ordinal);
        Assert.Contains(">noisy tenant</text>", html, StringComparison.Ordinal);

        // What the tool does afterwards unless --keep-tenants: the tenants it made are gone.
        await Task.WhenAll(tenants.Select(t => driver.RemoveAsync(t, CancellationToken.None)));
        using var admin = new HttpRequestMessage(HttpMethod.Get, new Uri(address, "/admin/v1/tenants?count=100"));
        admin.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "load-key");
        var listed = await (await http.SendAsync(admin)).Content.ReadAsStringAsync();
        Assert.DoesNotContain("loadtool-", listed, StringComparison.Ordinal);
        await silo.StopAsync();
    }

    [Fact]
    public async Task RunAsync_WithPushReceiver_EveryAcknowledgedChangeArrivesOnceInOrder()
    {
        await using var silo = SiloHost.Build([$"--contentRoot={Path.Combine(AppContext.BaseDirectory, "silo")}", "--Urls=http://127.0.0.1:0",
            "--Storage:Provider=Memory", "--Admin:ApiKey=load-key", "--Auth:TokenPepper=p", $"--Orleans:SiloPort={FreePorts.Next()}",
            $"--Orleans:GatewayPort={FreePorts.Next()}", "--Logging:LogLevel:Default=Warning", "--Events:AllowLoopbackHttp=true"]);
        await silo.StartAsync();
        var address = new Uri(silo.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        var options = LoadOptions.Parse(["--target", address.ToString(), "--admin", address.ToString(), "--admin-key", "load-key",
            "--tenants", "1", "--users", "30", "--cycles", "1", "--groups", "4", "--push-receiver", "--no-live"]);
        using var http = new HttpClient();
        using var overall = new SemaphoreSlim(options.MaxConcurrency);
        await using var receiver = await EventReceiver.StartAsync(TimeSpan.Zero);
        var driver = new EntraDriver(http, options, new Recorder(), overall, receiver);

        var tenant = await driver.SetUpAsync("loadevents", noisy: false, CancellationToken.None);
        await driver.RunAsync(tenant, CancellationToken.None);
        Assert.True(await receiver.DrainAsync(TimeSpan.FromSeconds(60), CancellationToken.None), "every acknowledged change's event arrived");
        var events = receiver.Summarize();

        // 30 creates, 30 PATCHes, 3 disables, 1 delete (user 9 of 30 is the only tenth-of-a-tenth), 4 group creates and 4 member PATCHes.
        Assert.Equal(72, events.Acknowledged);
        Assert.Equal((0, 0, 0L), (events.Missing, events.Duplicated, events.OutOfOrder));
        // The deleted user was in all four groups: leaving them is a patch of each, an event no SCIM request acknowledged.
        Assert.Equal(events.Acknowledged + 4, events.Received);
        Assert.True(events.LagP50Ms >= 0 && events.LagP99Ms >= events.LagP50Ms);
        await silo.StopAsync();
    }

    [Theory]
    [InlineData("entra")]
    [InlineData("okta")]
    public async Task RunAsync_GroupPhase_CreatesGroupsAddsMembersAndChangesSomeWithoutErrors(string dialect)
    {
        await using var silo = SiloHost.Build([$"--contentRoot={Path.Combine(AppContext.BaseDirectory, "silo")}", "--Urls=http://127.0.0.1:0",
            "--Storage:Provider=Memory", "--Admin:ApiKey=load-key", "--Auth:TokenPepper=p", $"--Orleans:SiloPort={FreePorts.Next()}",
            $"--Orleans:GatewayPort={FreePorts.Next()}", "--Logging:LogLevel:Default=Warning"]);
        await silo.StartAsync();
        var address = new Uri(silo.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        var options = LoadOptions.Parse(["--target", address.ToString(), "--admin", address.ToString(), "--admin-key", "load-key",
            "--tenants", "1", "--users", "30", "--cycles", "0", "--groups", "20", "--group-members", "150", "--group-dialect", dialect, "--no-live"]);
        using var http = new HttpClient();
        using var overall = new SemaphoreSlim(options.MaxConcurrency);
        var recorder = new Recorder();
        var driver = new EntraDriver(http, options, recorder, overall);

        var tenant = await driver.SetUpAsync($"loadgroups-{dialect}", noisy: false, CancellationToken.None);
        await driver.RunAsync(tenant, CancellationToken.None);
        var report = Report.From(options, DateTimeOffset.UtcNow, recorder.Elapsed.TotalSeconds, recorder.Samples, new HashSet<string>());

        Assert.Empty(report.ErrorsByStatus);
        var operations = report.Operations.ToDictionary(o => o.Operation, o => o.Count);
        Assert.Equal(20, operations["GroupCreate"]);
        // 150 members of a 30-user tenant are its 30 users: one PATCH of 30 per group.
        Assert.Equal(20, operations["GroupAddMembers"]);
        Assert.Equal(4, operations["GroupRemoveMember"]);
        Assert.Equal(2, operations["GroupRename"]);
        Assert.Equal(1, operations["GroupDelete"]);
        Assert.Equal(dialect == "entra" ? 20 : 0, operations.GetValueOrDefault("GroupFilter"));
        using var admin = new HttpRequestMessage(HttpMethod.Get, new Uri(address, $"/admin/v1/tenants/{tenant.Name}"));
        admin.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "load-key");
        var summary = System.Text.Json.JsonDocument.Parse(await (await http.SendAsync(admin)).Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(19, summary.GetProperty("groupCount").GetInt32());
        await silo.StopAsync();
    }
}
