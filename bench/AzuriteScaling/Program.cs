using System.Diagnostics;
using Azure.Data.Tables;

// Inserts entities with distinct partition keys (as grain state is stored: one partition per grain), 32 at a time,
// and after every 3,200 measures insert and point-read rates. Real Azure Table storage serves point operations in
// constant time; if these rates fall as the table grows, a benchmark on Azurite measures Azurite.
// Usage: AzuriteScaling <connection string> [rows]
var connection = args.Length > 0 ? args[0] : throw new ArgumentException("usage: AzuriteScaling <connection string> [rows]");
var rows = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 38_400;
var table = new TableServiceClient(connection).GetTableClient("scaling" + Guid.NewGuid().ToString("N")[..8]);
await table.CreateIfNotExistsAsync();
var payload = new string('x', 300);
var written = 0;
Console.WriteLine("| rows in table | inserts/s | point reads/s |");
Console.WriteLine("| ---: | ---: | ---: |");
while (written < rows)
{
    var clock = Stopwatch.StartNew();
    for (var i = 0; i < 100; i++)
    {
        await Task.WhenAll(Enumerable.Range(0, 32).Select(_ =>
            table.AddEntityAsync(new TableEntity($"grain-{Interlocked.Increment(ref written)}", "state") { ["Data"] = payload })));
    }
    var inserts = 3_200 / clock.Elapsed.TotalSeconds;
    clock.Restart();
    for (var i = 0; i < 200; i++)
    {
        await table.GetEntityAsync<TableEntity>($"grain-{Random.Shared.Next(1, written + 1)}", "state");
    }
    Console.WriteLine($"| {written:N0} | {inserts:N0} | {200 / clock.Elapsed.TotalSeconds:N0} |");
}
