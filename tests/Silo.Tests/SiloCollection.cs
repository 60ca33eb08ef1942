namespace RfpioGateway.Silo.Tests;

/// <summary>One silo host shared by the HTTP test classes; each test uses tenants of its own.</summary>
[CollectionDefinition(Name)]
public sealed class SiloCollection : ICollectionFixture<SiloServer>
{
    public const string Name = "silo";
}
