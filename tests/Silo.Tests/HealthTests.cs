using System.Net;

namespace RfpioGateway.Silo.Tests;

[Collection(SiloCollection.Name)]
public sealed class HealthTests(SiloServer silo)
{
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_StartedSilo_Answers200(string path)
    {
        var response = await silo.Http.GetAsync(new Uri(silo.BaseAddress, path));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }
}
