namespace RfpioGateway.Storage;

/// <summary>The storage providers a silo can run on (<c>Storage:Provider</c>).</summary>
public enum StorageKind
{
    Sqlite,
    AzureStorage,
    Postgres,
    Memory,
}
