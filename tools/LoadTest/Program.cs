using RfpioGateway.LoadTest;
using Spectre.Console;

if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(LoadOptions.Usage);
    return 0;
}

LoadOptions options;
try
{
    options = LoadOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException or UriFormatException)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(LoadOptions.Usage);
    return 2;
}

using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = Math.Max(options.MaxConcurrency, 16), UseProxy = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(60) };
using var overall = new SemaphoreSlim(options.MaxConcurrency);
using var stop = options.Duration is { } limit ? new CancellationTokenSource(limit) : new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
var recorder = new RfpioGateway.LoadTest.Recorder();
await using var receiver = options.PushReceiver ? await EventReceiver.StartAsync(options.ReceiverFailFor) : null;
var driver = new EntraDriver(http, options, recorder, overall, receiver);
var names = Enumerable.Range(0, options.Tenants).Select(i => $"{options.Prefix}-{i}").ToList();
var noisy = names.Take(options.NoisyTenants).ToHashSet();

AnsiConsole.MarkupLine($"Setting up [bold]{options.Tenants}[/] tenants through {options.Admin} ...");
var tenants = new List<EntraDriver.Tenant>();
foreach (var chunk in names.Chunk(16))
{
    tenants.AddRange(await Task.WhenAll(chunk.Select(n => driver.SetUpAsync(n, noisy.Contains(n), stop.Token))));
}

// Roughly what an uninterrupted run sends, for the progress bar.
var expected = (long)options.Tenants * (1 + 2 * options.UsersPerTenant * (1 + options.IncrementalCycles) + (options.UsersPerTenant + 99) / 100 + options.UsersPerTenant / 10 + options.UsersPerTenant / 100
    + options.GroupsPerTenant * (2L + (options.MembersPerGroup + 99) / 100));
var started = DateTimeOffset.UtcNow;
var runStart = recorder.Elapsed;
var run = Task.WhenAll(tenants.Select(async t =>
{
    try
    {
        await driver.RunAsync(t, stop.Token);
    }
    catch (OperationCanceledException) when (stop.IsCancellationRequested)
    {
        // --duration reached or Ctrl-C: stop starting requests; what finished is reported.
    }
}));
if (options.Live)
{
    await AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
        .StartAsync(async progress =>
        {
            var task = progress.AddTask("requests", maxValue: expected);
            while (!run.IsCompleted)
            {
                task.Value = recorder.Completed;
                task.Description = $"{recorder.Completed:N0} requests, {recorder.Completed / Math.Max((recorder.Elapsed - runStart).TotalSeconds, 0.001):N0}/s, {recorder.Failed:N0} failed";
                await Task.WhenAny(run, Task.Delay(500));
            }
            task.Value = task.MaxValue;
        });
}
await run;
var duration = (recorder.Elapsed - runStart).TotalSeconds;
var report = Report.From(options, started, duration, recorder.Samples, noisy);
if (receiver is not null)
{
    AnsiConsole.MarkupLine($"Waiting up to {options.DrainFor.TotalSeconds:0} s for the events still owed ...");
    await receiver.DrainAsync(options.DrainFor, CancellationToken.None);
    report.Events = receiver.Summarize();
}
await report.WriteAsync(options.Output);

var table = new Table().AddColumns("operation", "count", "per s", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors");
foreach (var o in report.Operations)
{
    table.AddRow(o.Operation, $"{o.Count:N0}", $"{o.PerSecond:N0}", $"{o.P50Ms:0.#}", $"{o.P95Ms:0.#}", $"{o.P99Ms:0.#}", $"{o.MaxMs:0.#}",
        Markup.Escape(string.Join(", ", o.Errors.Select(e => $"{e.Key}: {e.Value}"))));
}
AnsiConsole.Write(table);
AnsiConsole.MarkupLine($"[bold]{report.Requests:N0}[/] requests in {report.DurationSeconds:0.0} s = [bold]{report.RequestsPerSecond:N0} req/s[/]; " +
    $"users created {report.UsersCreated:N0} at {report.UsersCreatedPerSecond:N0}/s; Jain's fairness {report.JainFairness:0.000}" +
    (report.QuietJainFairness is { } q ? $" (quiet tenants {q:0.000}, their p99 {report.QuietP99Ms:0.#} ms)" : "") +
    $"; per-tenant req/s min {report.Tenants.Min(t => t.PerSecond):N0} / median {report.Tenants.Select(t => t.PerSecond).Order().ElementAt(report.Tenants.Count / 2):N0}");
if (report.Events is { } events)
{
    AnsiConsole.MarkupLine($"events: {events.Acknowledged:N0} changes acknowledged, {events.Received:N0} SETs received, [bold]{events.Missing:N0} missing[/], " +
        $"{events.Duplicated:N0} delivered more than once, {events.OutOfOrder:N0} out of version order, {events.Refused:N0} refused with 503; " +
        $"lag from acknowledgement to delivery p50 [bold]{events.LagP50Ms:0.#} ms[/], p99 [bold]{events.LagP99Ms:0.#} ms[/], max {events.LagMaxMs:0.#} ms" +
        (events.CatchUpSeconds is { } catchUp ? $"; caught up {catchUp:0.0} s after the receiver recovered" : ""));
}
if (report.GroupPhaseSeconds is { } groupPhase)
{
    AnsiConsole.MarkupLine($"group phase: {options.GroupsPerTenant * options.Tenants:N0} groups of up to {options.MembersPerGroup:N0} members in {groupPhase:0.0} s ({report.GroupRequestsPerSecond:N0} group requests/s)");
}
AnsiConsole.MarkupLine($"Report: {Markup.Escape(Path.GetFullPath(Path.Combine(options.Output, "report.html")))} and report.json");
if (!options.KeepTenants)
{
    // Not the run's cancellation: a --duration that ran out must still clean up.
    foreach (var chunk in tenants.Chunk(16))
    {
        await Task.WhenAll(chunk.Select(t => driver.RemoveAsync(t, CancellationToken.None)));
    }
    AnsiConsole.MarkupLine($"Offboarded the {tenants.Count} tenants this run created (--keep-tenants keeps them).");
}
return report.ErrorsByStatus.Count == 0 ? 0 : 1;
