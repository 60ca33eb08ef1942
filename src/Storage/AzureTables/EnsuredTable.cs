using Azure.Data.Tables;

namespace RfpioGateway.Storage.AzureTables;

/// <summary>
/// A table that is created on first use, asynchronously. Creating it in a constructor blocked a thread on network I/O
/// while the container built the store, which starved a two-core silo signing in to storage with Entra ID. A failed
/// attempt is not remembered: the next caller tries again, so a storage hiccup at start-up does not break the store.
/// </summary>
internal sealed class EnsuredTable(TableClient table)
{
    private Task? _created;

    public async ValueTask<TableClient> GetAsync()
    {
        var created = _created;
        if (created is null || created.IsFaulted || created.IsCanceled)
        {
            // Two callers racing here both send CreateIfNotExists; that is harmless.
            created = table.CreateIfNotExistsAsync();
            _created = created;
        }
        await created.ConfigureAwait(false);
        return table;
    }
}
