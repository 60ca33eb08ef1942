using System.Diagnostics;

namespace RfpioGateway.Storage;

/// <summary>Client spans for SQLite statements, which no library traces.</summary>
public static class StorageTelemetry
{
    /// <summary>The silo's own source: storage spans were published under it before storage had a project, and trace queries name it.</summary>
    public const string SourceName = "RfpioGateway.Silo";

    public static readonly ActivitySource Source = new(SourceName);
}
