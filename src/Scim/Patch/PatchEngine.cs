// One file on purpose (~580 lines): every PATCH shape (path, filtered path, pathless value) is a method of one
// Application whose state (the operation, its target, its index for errors) they all share.
using System.Text.Json;
using System.Text.Json.Nodes;
using RfpioGateway.Scim.Dialects;
using RfpioGateway.Scim.Errors;
using RfpioGateway.Scim.Filtering;
using RfpioGateway.Scim.Json;
using RfpioGateway.Scim.Resources;
using RfpioGateway.Scim.Schemas;

namespace RfpioGateway.Scim.Patch;

/// <summary>
/// Applies a PATCH (RFC 7644 §3.5.2) to a copy of a document, all operations or none, then validates the result
/// with the same rules as a PUT. Beyond the RFC it accepts every dialect Entra ID is known to send:
/// pathless values keyed by dotted or URN-qualified paths; <c>add</c> on a single-valued attribute as replace;
/// <c>replace</c> of an absent attribute as add; a filtered path that matches nothing creates the element from
/// the filter's <c>eq</c> terms (and successive ops merge into it); <c>""</c> or <c>null</c> clears;
/// <c>manager</c> as a bare id. A remove whose target is already absent succeeds and changes nothing,
/// so retried removals are idempotent. Paths into unknown extension schemas are ignored, like unknown
/// attributes in a body; unknown attributes of a known schema are <c>invalidPath</c>.
/// </summary>
public static class PatchEngine
{
    private static readonly JsonSerializerOptions SerializerOptions = new() { Encoder = ScimJson.Encoder };

    public static ScimResult<PatchResult> Apply(ScimDocument current, PatchRequest request, ResourceLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(request);
        return ScimResult<PatchResult>.Run(() =>
        {
            var resourceType = current.ResourceType;
            var working = JsonNode.Parse(current.Utf8Json)!.AsObject();
            var index = 0;
            foreach (var operation in request.Operations)
            {
                index++;
                new Application(resourceType, operation, index).Run(working);
            }
            var bytes = JsonSerializer.SerializeToUtf8Bytes(working, SerializerOptions);
            var validated = ResourceValidator.Validate(bytes, resourceType, ValidationContext.Patch, current, limits);
            if (!validated.TryGetValue(out var document, out var error))
            {
                throw new ScimException(error with { Detail = $"After the PATCH: {error.Detail}" });
            }
            // Canonical documents are written deterministically, so unchanged content means identical bytes.
            return new PatchResult(document, !current.Utf8Json.AsSpan().SequenceEqual(document.Utf8Json));
        });
    }

    private sealed class Application(ResourceTypeDefinition resourceType, PatchOperation operation, int index)
    {
        private PatchOperationType Type => operation.Type;

        public void Run(JsonObject working)
        {
            if (operation.Path is null)
            {
                foreach (var (key, value) in operation.Value!.AsObject())
                {
                    ApplyPathlessMember(working, key, value);
                }
                return;
            }
            var parsed = FilterParser.ParsePatchPath(operation.Path);
            if (!parsed.TryGetValue(out var path, out var error))
            {
                throw new ScimException(error with { Detail = $"Operation {index}: {error.Detail}" });
            }
            var resolved = resourceType.Resolve(path.Attribute);
            if (resolved is null)
            {
                if (IsForeignSchema(path.Attribute))
                {
                    return;
                }
                throw new ScimException(ScimError.InvalidPath($"Operation {index}: '{operation.Path}' is not an attribute of {resourceType.Name}."));
            }
            ApplyResolved(working, resolved, path.ValueFilter, path.SubAttribute, operation.Value);
        }

        private bool IsForeignSchema(AttributePath path) =>
            path.Schema is { } schema
            && !schema.Equals(resourceType.Schema.Id, StringComparison.OrdinalIgnoreCase)
            && resourceType.FindExtension(schema) is null
            && resourceType.FindExtension($"{schema}:{path.Name}") is null;

        private void ApplyPathlessMember(JsonObject working, string key, JsonNode? value)
        {
            if (resourceType.FindExtension(key) is { } extension)
            {
                ApplyResolved(working, new ResolvedPath(extension, null, null), null, null, value);
                return;
            }
            if (value is JsonObject core && key.Equals(resourceType.Schema.Id, StringComparison.OrdinalIgnoreCase))
            {
                // RFC 7644 §3.10: the core schema's URN as a container of core attributes.
                foreach (var (name, member) in core)
                {
                    ApplyPathlessMember(working, name, member);
                }
                return;
            }
            // Keys are paths: "name.givenName", "urn:…:enterprise:2.0:User:employeeNumber". Unknown keys, and
            // read-only ones such as id, meta and schemas, are ignored as they are in a POST body.
            if (AttributePath.TryParse(key) is not { } path || resourceType.Resolve(path) is not { } resolved
                || resolved.Attribute is { Mutability: Mutability.ReadOnly or Mutability.WriteOnly }
                || resolved.SubAttribute is { Mutability: Mutability.ReadOnly or Mutability.WriteOnly })
            {
                return;
            }
            ApplyResolved(working, resolved, null, null, value);
        }

        private void ApplyResolved(JsonObject working, ResolvedPath resolved, FilterNode? valueFilter, string? filterSub, JsonNode? value)
        {
            if (resolved.Attribute is null)
            {
                ApplyWholeExtension(working, resolved.Extension!, value);
                return;
            }
            var attribute = resolved.Attribute;
            CheckWritable(attribute, null);
            if (resolved.SubAttribute is { } sub)
            {
                CheckWritable(sub, attribute);
            }

            JsonObject container;
            if (resolved.Extension is { } extensionSchema)
            {
                if (working[extensionSchema.Id] is JsonObject existing)
                {
                    container = existing;
                }
                else if (Type == PatchOperationType.Remove)
                {
                    return;
                }
                else
                {
                    container = [];
                    working[extensionSchema.Id] = container;
                }
            }
            else
            {
                container = working;
            }

            if (valueFilter is not null)
            {
                ApplyFiltered(container, attribute, valueFilter, filterSub, value);
            }
            else if (resolved.SubAttribute is { } subAttribute)
            {
                ApplySub(container, attribute, subAttribute, value);
            }
            else
            {
                ApplyAttribute(container, attribute, value);
            }
        }

        private void ApplyWholeExtension(JsonObject working, SchemaDefinition extension, JsonNode? value)
        {
            if (Type == PatchOperationType.Remove || IsClear(value))
            {
                working.Remove(extension.Id);
                return;
            }
            if (value is not JsonObject members)
            {
                throw new ScimException(ScimError.InvalidValue($"Operation {index}: the value for '{extension.Id}' must be a JSON object."));
            }
            foreach (var (key, member) in members)
            {
                if (AttributePath.TryParse(key) is { Schema: null } path && extension.FindAttribute(path.Name) is { } attribute)
                {
                    var sub = path.SubAttribute is null ? null : attribute.FindSubAttribute(path.SubAttribute);
                    if (path.SubAttribute is not null && sub is null)
                    {
                        continue;
                    }
                    if (attribute.Mutability is Mutability.ReadOnly or Mutability.WriteOnly || sub?.Mutability is Mutability.ReadOnly)
                    {
                        continue;
                    }
                    ApplyResolved(working, new ResolvedPath(extension, attribute, sub), null, null, member);
                }
            }
        }

        private void ApplyAttribute(JsonObject container, AttributeDefinition attribute, JsonNode? value)
        {
            if (Type == PatchOperationType.Remove)
            {
                if (attribute.MultiValued && value is not null && !IsClear(value))
                {
                    RemoveValues(container, attribute, value);
                }
                else
                {
                    container.Remove(attribute.Name);
                }
                return;
            }
            if (!attribute.MultiValued && value is JsonArray { Count: 1 } lone)
            {
                // Old Entra ID documentation sets manager as [{"$ref": …, "value": id}].
                value = lone[0];
            }
            if (IsClear(value))
            {
                container.Remove(attribute.Name);
                return;
            }
            if (!attribute.MultiValued)
            {
                if (attribute.IsComplex && Canonicalize(attribute, value!) is JsonObject incoming
                    && container[attribute.Name] is JsonObject existing)
                {
                    // Sub-attributes not named in the value stay as they are (RFC 7644 §3.5.2.1 and §3.5.2.3).
                    foreach (var (key, sub) in incoming)
                    {
                        existing[key] = sub?.DeepClone();
                    }
                }
                else
                {
                    container[attribute.Name] = attribute.IsComplex ? Canonicalize(attribute, value!) : value!.DeepClone();
                }
                return;
            }

            var values = ToArray(attribute, value!);
            if (Type == PatchOperationType.Replace)
            {
                container[attribute.Name] = values;
                EnsureSinglePrimary(attribute, values, [.. values]);
                return;
            }
            if (container[attribute.Name] is not JsonArray target)
            {
                target = [];
                container[attribute.Name] = target;
            }
            var added = new List<JsonNode?>();
            var valueIsIdentity = attribute.FindSubAttribute("value") is { Mutability: Mutability.Immutable };
            foreach (var element in values.ToList())
            {
                if (target.Any(existing => JsonNode.DeepEquals(existing, element)))
                {
                    continue;
                }
                // An immutable "value" (group members) identifies the element: adding a known member again
                // merges into it instead of listing it twice.
                if (valueIsIdentity && element is JsonObject incoming && incoming["value"] is { } id
                    && target.OfType<JsonObject>().FirstOrDefault(e => JsonNode.DeepEquals(e["value"], id)) is { } same)
                {
                    foreach (var (key, member) in incoming)
                    {
                        same[key] = member?.DeepClone();
                    }
                    added.Add(same);
                    continue;
                }
                var copy = element?.DeepClone();
                target.Add(copy);
                added.Add(copy);
            }
            EnsureSinglePrimary(attribute, target, added);
        }

        private static void RemoveValues(JsonObject container, AttributeDefinition attribute, JsonNode value)
        {
            if (container[attribute.Name] is not JsonArray target)
            {
                return;
            }
            // Entra ID removes group members with {"op":"Remove","path":"members","value":[{"value":"id"}]}:
            // only the listed values go, never the whole attribute.
            foreach (var item in ToArray(attribute, value))
            {
                var key = item is JsonObject itemObject && itemObject["value"] is { } itemValue ? itemValue : null;
                for (var i = target.Count - 1; i >= 0; i--)
                {
                    var element = target[i];
                    var matches = key is not null && element is JsonObject elementObject
                        ? JsonNode.DeepEquals(elementObject["value"], key)
                        : JsonNode.DeepEquals(element, item);
                    if (matches)
                    {
                        target.RemoveAt(i);
                    }
                }
            }
            if (target.Count == 0)
            {
                container.Remove(attribute.Name);
            }
        }

        private void ApplySub(JsonObject container, AttributeDefinition attribute, AttributeDefinition sub, JsonNode? value)
        {
            if (!attribute.MultiValued)
            {
                var target = container[attribute.Name] as JsonObject;
                if (Type == PatchOperationType.Remove)
                {
                    target?.Remove(sub.Name);
                    return;
                }
                if (target is null)
                {
                    target = [];
                    container[attribute.Name] = target;
                }
                target[sub.Name] = value?.DeepClone();
                return;
            }

            var elements = container[attribute.Name] as JsonArray;
            if (Type == PatchOperationType.Remove)
            {
                foreach (var element in elements?.OfType<JsonObject>() ?? [])
                {
                    element.Remove(sub.Name);
                }
                return;
            }
            if (elements is null || elements.Count == 0)
            {
                if (!IsClear(value))
                {
                    container[attribute.Name] = new JsonArray(new JsonObject { [sub.Name] = value!.DeepClone() });
                }
                return;
            }
            foreach (var element in elements.OfType<JsonObject>())
            {
                element[sub.Name] = value?.DeepClone();
            }
        }

        private void ApplyFiltered(JsonObject container, AttributeDefinition attribute, FilterNode filter, string? filterSub, JsonNode? value)
        {
            if (!attribute.IsComplex)
            {
                throw new ScimException(ScimError.InvalidPath($"Operation {index}: '{attribute.Name}' is not complex, so '{operation.Path}' cannot filter its values."));
            }
            try
            {
                FilterValidator.ValidateValueFilterOrThrow(filter, resourceType, attribute);
            }
            catch (ScimException e)
            {
                throw new ScimException(ScimError.InvalidPath($"Operation {index}: '{operation.Path}': {e.Error.Detail}"));
            }
            AttributeDefinition? sub = null;
            if (filterSub is not null)
            {
                sub = attribute.FindSubAttribute(filterSub)
                    ?? throw new ScimException(ScimError.InvalidPath($"Operation {index}: '{attribute.Name}' has no sub-attribute '{filterSub}'."));
                CheckWritable(sub, attribute);
            }

            var array = attribute.MultiValued ? container[attribute.Name] as JsonArray : null;
            var elements = attribute.MultiValued
                ? array?.OfType<JsonObject>().ToList() ?? []
                : container[attribute.Name] is JsonObject single ? [single] : [];
            var matched = elements.Where(e => Matches(filter, e, attribute)).ToList();

            if (Type == PatchOperationType.Remove || (sub is null && IsClear(value)))
            {
                foreach (var element in matched)
                {
                    if (sub is not null)
                    {
                        element.Remove(sub.Name);
                    }
                    else if (array is not null)
                    {
                        array.Remove(element);
                    }
                    else
                    {
                        container.Remove(attribute.Name);
                    }
                }
                if (array is { Count: 0 })
                {
                    container.Remove(attribute.Name);
                }
                return;
            }

            if (matched.Count == 0)
            {
                if (IsClear(value))
                {
                    return;
                }
                // Entra ID replaces emails[type eq "work"].value on a user that has no work email: create it.
                var created = ElementFromFilter(filter, attribute)
                    ?? throw new ScimException(ScimError.NoTarget(
                        $"Operation {index}: no value of '{attribute.Name}' matches '{filter}', and only a filter of eq comparisons joined by 'and' says how to create one."));
                if (sub is not null)
                {
                    created[sub.Name] = value!.DeepClone();
                }
                else if (Canonicalize(attribute, value!) is JsonObject members)
                {
                    foreach (var (key, member) in members)
                    {
                        created[key] = member?.DeepClone();
                    }
                }
                if (attribute.MultiValued)
                {
                    if (array is null)
                    {
                        array = [];
                        container[attribute.Name] = array;
                    }
                    array.Add(created);
                    EnsureSinglePrimary(attribute, array, [created]);
                }
                else
                {
                    container[attribute.Name] = created;
                }
                return;
            }

            var touched = new List<JsonNode?>();
            foreach (var element in matched)
            {
                if (sub is not null)
                {
                    element[sub.Name] = value?.DeepClone();
                    touched.Add(element);
                }
                else if (Type == PatchOperationType.Replace)
                {
                    var replacement = Canonicalize(attribute, value!);
                    if (array is not null)
                    {
                        array[array.IndexOf(element)] = replacement;
                    }
                    else
                    {
                        container[attribute.Name] = replacement;
                    }
                    touched.Add(replacement);
                }
                else if (Canonicalize(attribute, value!) is JsonObject members)
                {
                    foreach (var (key, member) in members)
                    {
                        element[key] = member?.DeepClone();
                    }
                    touched.Add(element);
                }
            }
            if (array is not null)
            {
                EnsureSinglePrimary(attribute, array, touched);
            }
        }

        private bool Matches(FilterNode filter, JsonObject element, AttributeDefinition attribute) =>
            FilterEvaluator.MatchesValueFilter(filter, JsonSerializer.SerializeToElement(element, SerializerOptions), resourceType, attribute);

        private void CheckWritable(AttributeDefinition attribute, AttributeDefinition? parent)
        {
            if (attribute.Mutability == Mutability.ReadOnly)
            {
                var name = parent is null ? attribute.Name : $"{parent.Name}.{attribute.Name}";
                throw new ScimException(ScimError.Mutability($"Operation {index}: '{name}' is read-only."));
            }
        }

        /// <summary>The element a filter describes: <c>type eq "work" and primary eq true</c> gives {type, primary}.</summary>
        private static JsonObject? ElementFromFilter(FilterNode filter, AttributeDefinition attribute)
        {
            var created = new JsonObject();
            var terms = new Stack<FilterNode>();
            terms.Push(filter);
            while (terms.TryPop(out var term))
            {
                switch (term)
                {
                    case LogicalFilter { Operator: LogicalOperator.And } and:
                        terms.Push(and.Right);
                        terms.Push(and.Left);
                        break;
                    case ComparisonFilter { Operator: ComparisonOperator.Equal, Path: { Schema: null, SubAttribute: null } path } comparison
                        when attribute.FindSubAttribute(path.Name) is { } sub:
                        created[sub.Name] = comparison.Value.Kind switch
                        {
                            FilterValueKind.Boolean => JsonValue.Create(comparison.Value.Text == "true"),
                            FilterValueKind.Number => JsonValue.Create(comparison.Value.AsNumber()),
                            FilterValueKind.Null => null,
                            _ => JsonValue.Create(comparison.Value.Text),
                        };
                        break;
                    default:
                        return null;
                }
            }
            return created;
        }

        private static JsonArray ToArray(AttributeDefinition attribute, JsonNode value)
        {
            var array = new JsonArray();
            // Not "[value]": next to a JsonArray that literal would become a JsonArray and adopt the node.
            IEnumerable<JsonNode?> items = value is JsonArray source ? source : new List<JsonNode?> { value };
            foreach (var item in items)
            {
                if (item is not null)
                {
                    array.Add(attribute.IsComplex ? Canonicalize(attribute, item) : item.DeepClone());
                }
            }
            return array;
        }

        /// <summary>
        /// A complex value with the schema's member names (so merges match case-insensitively); a bare string
        /// becomes <c>{"value": …}</c>, and a JSON-encoded object string (Entra ID roles) is decoded.
        /// </summary>
        private static JsonNode? Canonicalize(AttributeDefinition attribute, JsonNode value)
        {
            if (value is JsonValue scalar && scalar.TryGetValue<string>(out var text))
            {
                if (IdpDialects.EmbeddedObject(text) is { } decoded)
                {
                    value = decoded;
                }
                else if (attribute.FindSubAttribute("value") is not null)
                {
                    return new JsonObject { ["value"] = text };
                }
            }
            if (value is not JsonObject members)
            {
                return value.DeepClone();
            }
            if (attribute.MultiValued)
            {
                // Decode a role JSON-encoded inside "value" the same way validation does, so duplicates are found.
                var unwrapped = IdpDialects.UnwrapEncodedValue(JsonSerializer.SerializeToElement(members, SerializerOptions));
                members = JsonNode.Parse(unwrapped.GetRawText())!.AsObject();
            }
            var canonical = new JsonObject();
            foreach (var (key, member) in members)
            {
                if (attribute.FindSubAttribute(key) is { } sub)
                {
                    canonical[sub.Name] = member?.DeepClone();
                }
            }
            return canonical;
        }

        private static void EnsureSinglePrimary(AttributeDefinition attribute, JsonArray values, IReadOnlyCollection<JsonNode?> touched)
        {
            // RFC 7644 §3.5.2: a new primary value demotes the others.
            if (attribute.FindSubAttribute("primary") is null || !touched.Any(IsPrimary))
            {
                return;
            }
            foreach (var element in values.OfType<JsonObject>())
            {
                if (!touched.Contains(element) && IsPrimary(element))
                {
                    element["primary"] = false;
                }
            }
        }

        private static bool IsPrimary(JsonNode? element) =>
            element is JsonObject members && members["primary"] is JsonValue primary
            && ((primary.TryGetValue<bool>(out var flag) && flag)
                || (primary.TryGetValue<string>(out var text) && IdpDialects.BooleanString(text) == true));

        private static bool IsClear(JsonNode? value) =>
            value is null || (value is JsonValue scalar && scalar.TryGetValue<string>(out var text) && text.Length == 0);
    }
}
