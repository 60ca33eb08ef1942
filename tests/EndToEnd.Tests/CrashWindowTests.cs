using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;

namespace RfpioGateway.EndToEnd.Tests;

/// <summary>
/// A single SQLite node SIGKILLed while an IdP renames and deletes users, then started again on the same file: every
/// acknowledged PATCH and DELETE is there, a request in flight at the kill is either wholly applied or not at all, and
/// the userName keys agree with the users (the match query finds each user by its name, and freed names can be taken).
/// </summary>
[Collection(FailoverCollection.Name)]
public sealed class CrashWindowTests : IDisposable
{
    private const string AdminKey = "crash-operator-key";
    private const string Tenant = "crashwindow";
    private const int Users = 80;

    private readonly SingleNode _node = new(Tenant, AdminKey);

    public void Dispose() => _node.Dispose();

    [Fact]
    public async Task KillSilo_DuringPatchesAndDeletes_AcknowledgedChangesKeptAndKeysConsistent()
    {
        string token;
        var ids = new string[Users];
        var acknowledged = new ConcurrentDictionary<int, string>(); // user → last acknowledged step ("patched" / "deleted")
        var inFlight = new ConcurrentDictionary<int, string>();
        using (var silo = _node.Start())
        {
            await silo.WaitUntilReadyAsync(_node.Http);
            token = await _node.TenantAsync(silo.Address);
            for (var i = 0; i < Users; i++)
            {
                using var created = await ScimAsync(silo.Address, token, HttpMethod.Post, "/Users", $$"""{"userName":"k{{i}}","title":"t0"}""");
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
                ids[i] = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
            }

            // Each worker renames its users and deletes every other one, as Entra does when users leave scope.
            async Task Work(int worker)
            {
                for (var i = worker; i < Users; i += 4)
                {
                    if (!await StepAsync(silo.Address, token, i, "patched", HttpMethod.Patch,
                        $$"""{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"userName","value":"r{{i}}"},{"op":"replace","path":"title","value":"t1"}]}"""))
                    {
                        return;
                    }
                    if (i % 2 == 0 && !await StepAsync(silo.Address, token, i, "deleted", HttpMethod.Delete, null))
                    {
                        return;
                    }
                }
            }

            async Task<bool> StepAsync(Uri address, string bearer, int i, string step, HttpMethod method, string? body)
            {
                inFlight[i] = step;
                try
                {
                    using var answer = await ScimAsync(address, bearer, method, $"/Users/{ids[i]}", body);
                    Assert.True(answer.IsSuccessStatusCode, $"{method} of user {i} answered {answer.StatusCode}");
                    acknowledged[i] = step;
                    inFlight.TryRemove(i, out _);
                    return true;
                }
                catch (HttpRequestException)
                {
                    return false; // the node died under this request: it stays in flight
                }
            }

            var workers = Enumerable.Range(0, 4).Select(w => Task.Run(() => Work(w))).ToList();
            await Eventually.TrueAsync(() => acknowledged.Count >= Users / 3, because: "the node served changes before the kill");
            silo.Kill();
            await Task.WhenAll(workers);
        }

        using var restarted = _node.Start();
        await restarted.WaitUntilReadyAsync(_node.Http);
        var existing = 0;
        for (var i = 0; i < Users; i++)
        {
            var done = acknowledged.GetValueOrDefault(i);
            var pending = inFlight.GetValueOrDefault(i);
            using var read = await ScimAsync(restarted.Address, token, HttpMethod.Get, $"/Users/{ids[i]}", null);
            if (done == "deleted")
            {
                Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
            }
            else if (done == "patched" && pending != "deleted")
            {
                Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            }
            if (read.StatusCode == HttpStatusCode.NotFound)
            {
                Assert.True(done == "deleted" || pending == "deleted", $"user {i} is gone, but no delete of it was sent");
                Assert.Null(await FindAsync(restarted.Address, token, $"r{i}"));
                Assert.Null(await FindAsync(restarted.Address, token, $"k{i}"));
                continue;
            }
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            existing++;
            var user = JsonDocument.Parse(await read.Content.ReadAsStringAsync()).RootElement;
            var name = user.GetProperty("userName").GetString();
            var patched = done is "patched" || pending is "patched" && name == $"r{i}";
            // All or nothing: the rename and the title travel together.
            Assert.Equal(patched ? $"r{i}" : $"k{i}", name);
            Assert.Equal(patched ? "t1" : "t0", user.GetProperty("title").GetString());
            Assert.Equal(ids[i], await FindAsync(restarted.Address, token, name!));
            var freed = patched ? $"k{i}" : $"r{i}";
            Assert.Null(await FindAsync(restarted.Address, token, freed));
            using var reuse = await ScimAsync(restarted.Address, token, HttpMethod.Post, "/Users", $$"""{"userName":"{{freed}}"}""");
            Assert.Equal(HttpStatusCode.Created, reuse.StatusCode);
            existing++;
        }

        // A delete cut between the user and its summary leaves a summary that the listing meeting it drops
        // (architecture.md): after one full listing, the total is exact.
        // One page holds them all, so no stale summary can hide past a page boundary that shifted.
        using var all = await ScimAsync(restarted.Address, token, HttpMethod.Get, "/Users?count=500", null);
        var listed = JsonDocument.Parse(await all.Content.ReadAsStringAsync()).RootElement.GetProperty("Resources").EnumerateArray()
            .Select(r => r.GetProperty("id").GetString()!).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(existing, listed.Count);
        using var list = await ScimAsync(restarted.Address, token, HttpMethod.Get, "/Users?count=1", null);
        Assert.Equal(existing, JsonDocument.Parse(await list.Content.ReadAsStringAsync()).RootElement.GetProperty("totalResults").GetInt32());
    }

    private Task<HttpResponseMessage> ScimAsync(Uri silo, string token, HttpMethod method, string path, string? json) =>
        _node.ScimAsync(silo, token, method, path, json);

    private async Task<string?> FindAsync(Uri silo, string token, string userName)
    {
        using var response = await ScimAsync(silo, token, HttpMethod.Get, "/Users?filter=" + Uri.EscapeDataString($"userName eq \"{userName}\""), null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var list = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return list.GetProperty("totalResults").GetInt32() == 0 ? null : list.GetProperty("Resources")[0].GetProperty("id").GetString();
    }
}
