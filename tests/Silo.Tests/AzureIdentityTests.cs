using System.Net;
using System.Net.Http.Json;
using System.Net.Security;
using System.Text.Json;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using RfpioGateway.Grains.Tests;

namespace RfpioGateway.Silo.Tests;

/// <summary>
/// The AzureStorage provider on an account reached with an Entra ID identity instead of an account key
/// (<c>Storage:AzureStorage:TableServiceUri</c>). Azurite runs over HTTPS with OAuth on and is never given the key, so
/// every table call the silo makes (membership, grain state, the directory, the activity log) must carry a bearer
/// token it accepts.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes it through IAsyncLifetime.DisposeAsync.")]
public sealed class AzureIdentityTests : IAsyncLifetime
{
    private const string Ada = """{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"ada@example.com","externalId":"ada-1","active":true}""";
    private readonly string _cluster = Guid.NewGuid().ToString("N");
    private Azurite _azurite = null!;

    public async Task InitializeAsync() => _azurite = await Azurite.StartWithEntraIdAsync();

    public async Task DisposeAsync() => await _azurite.DisposeAsync();

    [Fact]
    public async Task AzureStorage_TableServiceUriAndIdentity_KeepsTenantsAndUsersAcrossRestart()
    {
        var credential = new EmulatorTokenCredential(EmulatorTokenCredential.StorageAudience);
        string token;
        string id;
        await using (var silo = Silo(credential))
        {
            await silo.InitializeAsync();
            token = await silo.CreateTenantAsync("identitya");
            var created = await silo.Scim(HttpMethod.Post, "identitya", token, "/Users", Ada);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        }

        await using (var silo = Silo(credential))
        {
            await silo.InitializeAsync();
            var read = await silo.Scim(HttpMethod.Get, "identitya", token, $"/Users/{id}");
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            Assert.Equal("ada@example.com", (await read.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("userName").GetString());
            var found = await silo.Scim(HttpMethod.Get, "identitya", token, "/Users?filter=externalId%20eq%20%22ada-1%22");
            Assert.Equal(1, (await found.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("totalResults").GetInt32());
        }
        Assert.True(credential.TokensIssued > 0, "the silo reached storage without asking the credential for a token");
    }

    [Fact]
    public async Task AzureStorage_TokenForAnotherAudience_SiloDoesNotStart()
    {
        await using var silo = Silo(new EmulatorTokenCredential("https://vault.azure.net"));

        var failure = await Record.ExceptionAsync(silo.InitializeAsync);

        Assert.NotNull(failure);
        var storageRefusal = Flatten(failure).OfType<Azure.RequestFailedException>().FirstOrDefault();
        Assert.True(storageRefusal is not null, $"expected storage to refuse the token, got: {failure}");
        Assert.Equal((int)HttpStatusCode.Forbidden, storageRefusal.Status);
    }

    private SiloServer Silo(TokenCredential credential) => new(Path.Combine(Path.GetTempPath(), "rfpio-silo-tests", Guid.NewGuid().ToString("N")), "AzureStorage")
    {
        Settings =
        [
            $"Storage:AzureStorage:TableServiceUri={_azurite.TableServiceUri}",
            "Auth:TokenPepper=identity-pepper",
            $"Orleans:ClusterId=identity{_cluster}",
            $"Orleans:ServiceId=identity{_cluster}",
        ],
        Configure = builder =>
        {
            builder.Services.AddSingleton(credential);
            builder.Services.AddSingleton(new TableClientOptions { Transport = new HttpClientTransport(TrustingOnly(_azurite)) });
        },
    };

    /// <summary>A handler that trusts the emulator's self-signed certificate and no other.</summary>
    private static SocketsHttpHandler TrustingOnly(Azurite azurite) => new()
    {
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                errors == SslPolicyErrors.None || (certificate is not null && certificate.GetCertHashString() == azurite.Certificate!.GetCertHashString()),
        },
    };

    private static IEnumerable<Exception> Flatten(Exception exception)
    {
        yield return exception;
        var inner = exception is AggregateException aggregate ? aggregate.InnerExceptions : exception.InnerException is { } one ? [one] : [];
        foreach (var child in inner.SelectMany(Flatten))
        {
            yield return child;
        }
    }
}
