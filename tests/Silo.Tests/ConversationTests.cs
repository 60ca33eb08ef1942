using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace RfpioGateway.Silo.Tests;

/// <summary>
/// Replays recorded IdP conversations (request/response pairs in Conversations/*.json) in order against the real
/// silo. Expected bodies are subsets: every member given must match; "*" matches any value; "${name}" is a value
/// captured from an earlier response; "absent" lists dotted paths that must not be there.
/// </summary>
public abstract partial class ConversationCases(SiloServer silo)
{
    [Theory]
    [InlineData("entra-provisioning-cycle.json", "entra-cycle")]
    [InlineData("okta-provisioning.json", "okta-cycle")]
    public async Task Replay_RecordedConversation_EveryStepAnswersAsRecorded(string file, string tenant)
    {
        var token = await silo.CreateTenantAsync(tenant);
        var conversation = JsonSerializer.Deserialize<JsonElement>(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Conversations", file)));
        var variables = new Dictionary<string, string>();
        var number = 0;
        foreach (var step in conversation.GetProperty("steps").EnumerateArray())
        {
            number++;
            var request = step.GetProperty("request");
            var path = Substitute(request.GetProperty("path").GetString()!, variables);
            var body = request.TryGetProperty("body", out var b) ? Substitute(b.GetRawText(), variables) : null;
            using var response = await silo.Scim(new HttpMethod(request.GetProperty("method").GetString()!), tenant, token, path, body);
            var text = await response.Content.ReadAsStringAsync();
            var where = $"step {number} ({request.GetProperty("method").GetString()} {path}): {text}";

            var expected = step.GetProperty("response");
            Assert.True(expected.GetProperty("status").GetInt32() == (int)response.StatusCode, $"status {(int)response.StatusCode} at {where}");
            if (response.StatusCode != HttpStatusCode.NoContent)
            {
                Assert.True(response.Content.Headers.ContentType?.MediaType == "application/scim+json", $"content type at {where}");
            }
            if (expected.TryGetProperty("headers", out var headers))
            {
                foreach (var header in headers.EnumerateObject())
                {
                    var actual = response.Headers.TryGetValues(header.Name, out var values) ? string.Join(",", values) : null;
                    Assert.True(actual is not null, $"missing header {header.Name} at {where}");
                    var wanted = Substitute(header.Value.GetString()!, variables);
                    Assert.True(wanted == "*" || wanted == actual, $"header {header.Name} is {actual}, expected {wanted} at {where}");
                }
            }
            var actualBody = text.Length > 0 ? JsonSerializer.Deserialize<JsonElement>(text) : default;
            if (expected.TryGetProperty("body", out var expectedBody))
            {
                AssertSubset(JsonSerializer.Deserialize<JsonElement>(Substitute(expectedBody.GetRawText(), variables)), actualBody, "$", where);
            }
            foreach (var absent in Absent(step).Concat(Absent(expected)))
            {
                Assert.False(Resolve(actualBody, absent).HasValue, $"'{absent}' should be absent at {where}");
            }
            if (step.TryGetProperty("capture", out var capture))
            {
                foreach (var item in capture.EnumerateObject())
                {
                    variables[item.Name] = actualBody.GetProperty(item.Value.GetString()!).GetString()!;
                }
            }
        }
    }

    private static IEnumerable<string> Absent(JsonElement element) =>
        element.TryGetProperty("absent", out var absent) ? absent.EnumerateArray().Select(a => a.GetString()!) : [];

    /// <summary>Follows a path of member names and array indexes; the enterprise URN contains dots, so it is matched whole.</summary>
    private static JsonElement? Resolve(JsonElement element, string path)
    {
        const string Urn = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
        var segments = path.StartsWith(Urn, StringComparison.Ordinal)
            ? new[] { Urn }.Concat(path[Urn.Length..].Split('.', StringSplitOptions.RemoveEmptyEntries))
            : path.Split('.');
        foreach (var segment in segments)
        {
            if (element.ValueKind == JsonValueKind.Array && int.TryParse(segment, out var index) && index < element.GetArrayLength())
            {
                element = element[index];
            }
            else if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty(segment, out var child))
            {
                element = child;
            }
            else
            {
                return null;
            }
        }
        return element;
    }

    private static void AssertSubset(JsonElement expected, JsonElement actual, string path, string where)
    {
        if (expected.ValueKind == JsonValueKind.String && expected.GetString() == "*")
        {
            Assert.True(actual.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null), $"{path} missing at {where}");
            return;
        }
        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                Assert.True(actual.ValueKind == JsonValueKind.Object, $"{path} is not an object at {where}");
                foreach (var member in expected.EnumerateObject())
                {
                    Assert.True(actual.TryGetProperty(member.Name, out var value), $"{path}.{member.Name} missing at {where}");
                    AssertSubset(member.Value, value, $"{path}.{member.Name}", where);
                }
                break;
            case JsonValueKind.Array:
                Assert.True(actual.ValueKind == JsonValueKind.Array && actual.GetArrayLength() == expected.GetArrayLength(),
                    $"{path} should have {expected.GetArrayLength()} items at {where}");
                for (var i = 0; i < expected.GetArrayLength(); i++)
                {
                    AssertSubset(expected[i], actual[i], $"{path}[{i}]", where);
                }
                break;
            default:
                Assert.True(JsonElement.DeepEquals(expected, actual), $"{path} is {actual.GetRawText()}, expected {expected.GetRawText()} at {where}");
                break;
        }
    }

    private static string Substitute(string text, Dictionary<string, string> variables) =>
        VariablePattern().Replace(text, m => variables[m.Groups[1].Value]);

    [GeneratedRegex(@"\$\{(\w+)\}")]
    private static partial Regex VariablePattern();
}

[Collection(SiloCollection.Name)]
public sealed class ConversationTests(SiloServer silo) : ConversationCases(silo);

/// <summary>The same conversations against a silo whose every store is PostgreSQL.</summary>
public sealed class PostgresConversationTests(PostgresSilo postgres) : ConversationCases(postgres.Silo), IClassFixture<PostgresSilo>;
