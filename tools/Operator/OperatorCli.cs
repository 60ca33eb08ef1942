using System.CommandLine;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace RfpioGateway.Operator;

/// <summary>
/// <c>rfpio-operator</c>: every call of the silo's operator API (<c>/admin/v1</c>) as a command, so nobody composes
/// curl lines. Output is readable text, or the API's own JSON with <c>--json</c>. Exit codes: 0 done, 1 the API
/// refused (its SCIM <c>detail</c> is printed), 2 the command line was wrong or the silo could not be reached.
/// </summary>
internal static class OperatorCli
{
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, HttpMessageHandler? handler = null)
    {
        var url = new Option<Uri>("--url")
        {
            Description = "The silo's HTTP address (the operator API is never routed by the gateway).",
            DefaultValueFactory = _ => new Uri("http://127.0.0.1:8081/"),
            CustomParser = result =>
            {
                var text = result.Tokens.Single().Value;
                if (Uri.TryCreate(text.EndsWith('/') ? text : text + "/", UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https")
                {
                    return parsed;
                }
                result.AddError($"--url '{text}' is not an http or https address.");
                return null;
            },
        };
        var key = new Option<string?>("--key") { Description = "The operator key (Admin:ApiKey); or set RFPIO_ADMIN_KEY." };
        var keyFile = new Option<FileInfo?>("--key-file") { Description = "A file holding the operator key (a local run writes src/Silo/data/admin-api-key)." };
        var json = new Option<bool>("--json") { Description = "Print the API's JSON instead of text." };
        var tenant = new Argument<string>("tenant") { Description = "The tenant id: one DNS label, as in https://<tenant>.rfpio.com." };

        var root = new RootCommand("The RfpioGateway operator API from the command line.");
        foreach (var option in new Option[] { url, key, keyFile, json })
        {
            option.Recursive = true;
            root.Options.Add(option);
        }

        Command Call(string name, string description, Func<ParseResult, (HttpMethod Method, string Path, string? Body)> request, params Symbol[] symbols)
        {
            var command = new Command(name, description);
            foreach (var symbol in symbols)
            {
                switch (symbol)
                {
                    case Argument argument:
                        command.Arguments.Add(argument);
                        break;
                    case Option option:
                        command.Options.Add(option);
                        break;
                }
            }
            command.SetAction(async (parse, cancellation) =>
            {
                var secret = parse.GetValue(key) ?? Environment.GetEnvironmentVariable("RFPIO_ADMIN_KEY")
                    ?? (parse.GetValue(keyFile) is { } file ? (await File.ReadAllTextAsync(file.FullName, cancellation)).Trim() : null);
                if (string.IsNullOrEmpty(secret))
                {
                    await error.WriteLineAsync("No operator key: pass --key, --key-file or set RFPIO_ADMIN_KEY.");
                    return 2;
                }
                var (method, path, body) = request(parse);
                return await SendAsync(parse.GetValue(url)!, secret, method, path, body, parse.GetValue(json), output, error, handler, cancellation);
            });
            return command;
        }

        var shards = new Option<int?>("--shards") { Description = "Directory shards of a new tenant (fixed for its lifetime)." };
        var tenants = new Command("tenant", "Create, show, list and offboard tenants.")
        {
            Call("create", "Create a tenant (does nothing if it exists).",
                p => (HttpMethod.Put, $"tenants/{p.GetValue(tenant)}", p.GetValue(shards) is { } n ? $$"""{"shardCount":{{n}}}""" : null), tenant, shards),
            Call("show", "Show a tenant: switch, token issue time and fingerprint, Tenant URL, users.", p => (HttpMethod.Get, $"tenants/{p.GetValue(tenant)}", null), tenant),
            Call("offboard", "Offboard a tenant: it stops answering at once and every user is deleted.", p => (HttpMethod.Delete, $"tenants/{p.GetValue(tenant)}", null), tenant),
        };
        var after = new Option<string?>("--after") { Description = "List tenant ids after this one." };
        var count = new Option<int?>("--count") { Description = "How many to list." };
        tenants.Subcommands.Add(Call("list", "List tenant ids in order, a page at a time.",
            p => (HttpMethod.Get, "tenants" + Query(("after", p.GetValue(after)), ("count", p.GetValue(count)?.ToString(System.Globalization.CultureInfo.InvariantCulture))), null), after, count));
        root.Subcommands.Add(tenants);

        var state = new Argument<string>("on|off") { Description = "Switch Auto User Provisioning on or off." };
        state.AcceptOnlyFromAmong("on", "off");
        root.Subcommands.Add(Call("provisioning", "Switch a tenant's Auto User Provisioning on or off.",
            p => (HttpMethod.Put, $"tenants/{p.GetValue(tenant)}/provisioning", $$"""{"enabled":{{(p.GetValue(state) == "on" ? "true" : "false")}}}"""), tenant, state));

        foreach (var (name, path, what) in new[] { ("token", "token", "the SCIM API token"), ("admin-credential", "admin-credential", "the tenant admin's console credential") })
        {
            root.Subcommands.Add(new Command(name, $"Issue or revoke {what}.")
            {
                Call("issue", $"Issue {what} (shown only now); the previous one stops working.", p => (HttpMethod.Post, $"tenants/{p.GetValue(tenant)}/{path}", null), tenant),
                Call("revoke", $"Revoke {what}.", p => (HttpMethod.Delete, $"tenants/{p.GetValue(tenant)}/{path}", null), tenant),
            });
        }

        var result = new Option<string?>("--result") { Description = "Only this outcome: created, updated, disabled, deleted, read, failed, or success/failure." };
        var operation = new Option<string?>("--operation") { Description = "Only this operation, e.g. Users.Create." };
        root.Subcommands.Add(Call("activity", "A tenant's provisioning activity, newest first, with the last 24 hours' counters.",
            p => (HttpMethod.Get, $"tenants/{p.GetValue(tenant)}/activity" + Query(("result", p.GetValue(result)), ("operation", p.GetValue(operation)),
                ("count", p.GetValue(count)?.ToString(System.Globalization.CultureInfo.InvariantCulture))), null), tenant, result, operation, count));

        var parsed = root.Parse(args);
        return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
    }

    private static string Query(params (string Name, string? Value)[] parameters)
    {
        var present = parameters.Where(p => !string.IsNullOrEmpty(p.Value)).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}").ToList();
        return present.Count == 0 ? "" : "?" + string.Join("&", present);
    }

    private static async Task<int> SendAsync(Uri silo, string key, HttpMethod method, string path, string? body, bool json,
        TextWriter output, TextWriter error, HttpMessageHandler? handler, CancellationToken cancellation)
    {
        using var http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        using var request = new HttpRequestMessage(method, new Uri(silo, "admin/v1/" + path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellation);
        }
        catch (HttpRequestException e)
        {
            await error.WriteLineAsync($"The silo at {silo} could not be reached: {e.Message}");
            return 2;
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellation);
            if (!response.IsSuccessStatusCode)
            {
                await error.WriteLineAsync($"{(int)response.StatusCode}: {Detail(text)}");
                return 1;
            }
            if (json)
            {
                await output.WriteLineAsync(text.Length > 0 ? text : $$"""{"status":{{(int)response.StatusCode}}}""");
                return 0;
            }
            await output.WriteAsync(text.Length > 0 ? Readable(text) : $"done ({(int)response.StatusCode})\n");
            return 0;
        }
    }

    private static string Detail(string body)
    {
        try
        {
            return JsonDocument.Parse(body).RootElement.GetProperty("detail").GetString() ?? body;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return body.Length > 0 ? body : "no detail";
        }
    }

    /// <summary>A JSON answer as indented <c>name: value</c> lines; arrays of objects as one block per item.</summary>
    internal static string Readable(string json)
    {
        var text = new StringBuilder();
        void Write(JsonElement element, string indent)
        {
            foreach (var property in element.EnumerateObject())
            {
                switch (property.Value.ValueKind)
                {
                    case JsonValueKind.Object:
                        text.Append(indent).Append(property.Name).Append(":\n");
                        Write(property.Value, indent + "  ");
                        break;
                    case JsonValueKind.Array:
                        text.Append(indent).Append(property.Name).Append(':').Append(property.Value.GetArrayLength() == 0 ? " (none)\n" : "\n");
                        foreach (var item in property.Value.EnumerateArray())
                        {
                            if (item.ValueKind == JsonValueKind.Object)
                            {
                                text.Append(indent).Append("  -\n");
                                Write(item, indent + "    ");
                            }
                            else
                            {
                                text.Append(indent).Append("  - ").Append(Scalar(item)).Append('\n');
                            }
                        }
                        break;
                    default:
                        text.Append(indent).Append(property.Name).Append(": ").Append(Scalar(property.Value)).Append('\n');
                        break;
                }
            }
        }
        using var document = JsonDocument.Parse(json);
        Write(document.RootElement, "");
        return text.ToString();
    }

    private static string Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Null => "-",
        _ => value.GetRawText(),
    };
}
