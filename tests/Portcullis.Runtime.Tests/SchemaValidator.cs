using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Portcullis.Runtime.Tests;

/// <summary>
/// The structural OpenAPI v3 subset CRDs use (type, required, properties, enum, pattern, maxLength,
/// minimum, anyOf, preserve-unknown-fields), enough to tell whether what the code writes would be accepted.
/// Unknown fields are errors, as the API server prunes them.
/// </summary>
public static class SchemaValidator
{
    public static IReadOnlyList<string> Validate(JsonNode? value, JsonNode schema, string path = "")
    {
        var errors = new List<string>();
        Check(value, schema, path, errors);
        return errors;
    }

    private static void Check(JsonNode? value, JsonNode schema, string path, List<string> errors)
    {
        if (value is null)
            return;
        var type = schema["type"]?.GetValue<string>();
        switch (type)
        {
            case "object" when value is not JsonObject:
            case "array" when value is not JsonArray:
            case "string" when value is not JsonValue v1 || !v1.TryGetValue<string>(out _):
            case "integer" when value is not JsonValue v2 || !v2.TryGetValue<long>(out _):
                errors.Add($"{path}: expected {type}, got {value.ToJsonString()}");
                return;
        }
        if (schema["enum"] is JsonArray options && !options.Any(o => JsonNode.DeepEquals(o, value)))
            errors.Add($"{path}: {value.ToJsonString()} is not one of {options.ToJsonString()}");
        if (value is JsonValue s && s.TryGetValue<string>(out var text))
        {
            if (schema["pattern"]?.GetValue<string>() is { } pattern && !Regex.IsMatch(text, pattern))
                errors.Add($"{path}: '{text}' does not match {pattern}");
            if (schema["maxLength"]?.GetValue<long>() is { } max && text.Length > max)
                errors.Add($"{path}: longer than {max}");
        }
        if (value is JsonValue n && n.TryGetValue<long>(out var number) && schema["minimum"]?.GetValue<long>() is { } min && number < min)
            errors.Add($"{path}: below {min}");
        if (schema["anyOf"] is JsonArray anyOf && !anyOf.Any(alternative => Validate(value, alternative!, path).Count == 0))
            errors.Add($"{path}: matches none of anyOf");
        if (value is JsonObject obj)
        {
            foreach (var required in schema["required"]?.AsArray() ?? [])
            {
                if (!obj.ContainsKey(required!.GetValue<string>()))
                    errors.Add($"{path}: missing required {required}");
            }
            if (schema["properties"] is not JsonObject properties)
                return; // a bare constraint (an anyOf branch): the enclosing schema checks the fields
            var preserve = schema["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true;
            foreach (var (key, child) in obj)
            {
                if (key == "metadata" && path.Length == 0)
                    continue; // ObjectMeta: the API server's own schema, not the CRD's
                if (properties[key] is { } childSchema)
                    Check(child, childSchema, $"{path}.{key}", errors);
                else if (!preserve)
                    errors.Add($"{path}.{key}: not in the schema (the API server would drop it)");
            }
        }
        if (value is JsonArray array && schema["items"] is { } items)
        {
            for (var i = 0; i < array.Count; i++)
                Check(array[i], items, $"{path}[{i}]", errors);
        }
    }
}
