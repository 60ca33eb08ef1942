using OpenTelemetry;

namespace RfpioGateway.EndToEnd.Tests;

/// <summary>
/// Appends exported items to a list while holding the list's lock. OpenTelemetry's in-memory exporter appends without
/// one, so a test reading the list while a late span ends got "collection was modified".
/// </summary>
public sealed class LockedListExporter<T>(List<T> items) : BaseExporter<T>
    where T : class
{
    public override ExportResult Export(in Batch<T> batch)
    {
        lock (items)
        {
            foreach (var item in batch)
            {
                items.Add(item);
            }
        }
        return ExportResult.Success;
    }
}
