using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Tessera.Serialization;

/// <summary>Parses and builds the JSON header of a safetensors file.</summary>
internal static class SafeTensorsHeader
{
    public const string MetadataKey = "__metadata__";

    /// <summary>The largest tensor rank accepted.</summary>
    public const int MaxRank = 64;

    /// <summary>Parses and validates a header; returns the entries ordered by offset and the end of the data they cover.</summary>
    public static (List<SafeTensorsEntry> Entries, Dictionary<string, string> Metadata, long DataLength) Parse(
        ReadOnlyMemory<byte> json, string source)
    {
        var firstNonSpace = json.Span.IndexOfAnyExcept((byte)' ');
        if (firstNonSpace < 0 || json.Span[firstNonSpace] != (byte)'{')
        {
            throw Invalid(source, "the header must be a JSON object starting with '{'");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 4 });
        }
        catch (JsonException ex)
        {
            throw Invalid(source, $"the header is not valid JSON ({ex.Message})");
        }

        using (document)
        {
            var entries = new List<SafeTensorsEntry>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!names.Add(property.Name))
                {
                    throw Invalid(source, $"the header names '{property.Name}' twice");
                }

                if (property.Name == MetadataKey)
                {
                    ParseMetadata(property.Value, metadata, source);
                }
                else
                {
                    entries.Add(ParseEntry(property.Name, property.Value, source));
                }
            }

            // The data must be laid out without gaps or overlaps, in any header order, covering the whole buffer.
            entries.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
            long position = 0;
            foreach (var entry in entries)
            {
                if (entry.Begin != position)
                {
                    var problem = entry.Begin < position ? "overlaps the previous tensor" : "leaves a gap after the previous tensor";
                    throw Invalid(source, $"tensor '{entry.Name}' has data_offsets [{entry.Begin}, {entry.End}] which {problem} (ending at {position})");
                }

                position = entry.End;
            }

            return (entries, metadata, position);
        }
    }

    /// <summary>The header bytes for tensors in the given order, padded with spaces to a multiple of 8.</summary>
    public static byte[] Build(IReadOnlyList<(string Name, Tensor Tensor)> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        var sb = new StringBuilder("{");
        if (metadata is { Count: > 0 })
        {
            sb.Append('"').Append(MetadataKey).Append("\":{");
            var first = true;
            foreach (var (key, value) in metadata.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                sb.Append(first ? string.Empty : ",");
                AppendString(sb, key);
                sb.Append(':');
                AppendString(sb, value);
                first = false;
            }

            sb.Append('}');
            if (tensors.Count > 0)
            {
                sb.Append(',');
            }
        }

        long offset = 0;
        for (var i = 0; i < tensors.Count; i++)
        {
            var (name, tensor) = tensors[i];
            var length = (long)tensor.Count * DTypes.ElementSize(tensor.DType);
            sb.Append(i == 0 ? string.Empty : ",");
            AppendString(sb, name);
            sb.Append(":{\"dtype\":\"").Append(SafeTensorsEntry.CodeOf(tensor.DType)).Append("\",\"shape\":[");
            sb.AppendJoin(',', tensor.ShapeToArray().Select(d => d.ToString(CultureInfo.InvariantCulture)));
            sb.Append("],\"data_offsets\":[").Append(offset.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append((offset + length).ToString(CultureInfo.InvariantCulture)).Append("]}");
            offset += length;
        }

        sb.Append('}');
        var bytes = Encoding.UTF8.GetBytes(sb.ToString());
        var padded = (bytes.Length + 7) / 8 * 8;
        var result = new byte[padded];
        bytes.CopyTo(result, 0);
        result.AsSpan(bytes.Length).Fill((byte)' ');
        return result;
    }

    /// <summary>Appends a JSON string escaped as serde_json does: quote, backslash and control characters only.</summary>
    private static void AppendString(StringBuilder sb, string value)
    {
        sb.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case < ' ': sb.Append("\\u00").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture)); break;
                default: sb.Append(c); break;
            }
        }

        sb.Append('"');
    }

    private static void ParseMetadata(JsonElement value, Dictionary<string, string> metadata, string source)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(source, $"\"{MetadataKey}\" must be an object of strings, not {value.ValueKind}");
        }

        foreach (var item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
            {
                throw Invalid(source, $"\"{MetadataKey}\" entry '{item.Name}' must be a string, not {item.Value.ValueKind}");
            }

            if (!metadata.TryAdd(item.Name, item.Value.GetString()!))
            {
                throw Invalid(source, $"\"{MetadataKey}\" names '{item.Name}' twice");
            }
        }
    }

    private static SafeTensorsEntry ParseEntry(string name, JsonElement value, string source)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(source, $"tensor '{name}' must be an object with dtype, shape and data_offsets, not {value.ValueKind}");
        }

        string? code = null;
        int[]? shape = null;
        long[]? offsets = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var field in value.EnumerateObject())
        {
            if (!seen.Add(field.Name))
            {
                throw Invalid(source, $"tensor '{name}' names the field '{field.Name}' twice");
            }

            switch (field.Name)
            {
                case "dtype":
                    code = field.Value.ValueKind == JsonValueKind.String ? field.Value.GetString() : null;
                    if (code is null || SafeTensorsEntry.SizeOf(code) == 0)
                    {
                        throw Invalid(source, $"tensor '{name}' has dtype {field.Value.GetRawText()}, which is not one of "
                            + "F64, F32, F16, BF16, I64, I32, I16, I8, U64, U32, U16, U8, BOOL");
                    }

                    break;
                case "shape":
                    if (field.Value.ValueKind == JsonValueKind.Array && field.Value.GetArrayLength() > MaxRank)
                    {
                        throw Invalid(source, $"tensor '{name}' has rank {field.Value.GetArrayLength()}, more than {MaxRank}");
                    }

                    shape = ReadIntegers(field.Value, name, "shape", int.MaxValue, source).Select(d => (int)d).ToArray();
                    break;
                case "data_offsets":
                    offsets = ReadIntegers(field.Value, name, "data_offsets", long.MaxValue, source);
                    if (offsets.Length != 2 || offsets[1] < offsets[0])
                    {
                        throw Invalid(source, $"tensor '{name}' has data_offsets {field.Value.GetRawText()}; expected [begin, end] with begin <= end");
                    }

                    break;
                default:
                    break;
            }
        }

        if (code is null || shape is null || offsets is null)
        {
            var missing = code is null ? "dtype" : shape is null ? "shape" : "data_offsets";
            throw Invalid(source, $"tensor '{name}' has no \"{missing}\"");
        }

        // Check the element count against an int-sized array before multiplying by the element size, so nothing overflows.
        long count = 1;
        foreach (var d in shape)
        {
            count = d == 0 ? 0 : count * d;
            if (count > Array.MaxLength)
            {
                throw Invalid(source, $"tensor '{name}' has shape [{string.Join(", ", shape)}], more than {Array.MaxLength} elements");
            }
        }

        if (shape.Contains(0))
        {
            count = 0;
        }

        var expected = count * SafeTensorsEntry.SizeOf(code);
        if (offsets[1] - offsets[0] != expected)
        {
            throw Invalid(source, $"tensor '{name}' of dtype {code} and shape [{string.Join(", ", shape)}] needs {expected} bytes, "
                + $"but its data_offsets [{offsets[0]}, {offsets[1]}] span {offsets[1] - offsets[0]}");
        }

        return new SafeTensorsEntry(name, code, shape, offsets[0], offsets[1]);
    }

    private static long[] ReadIntegers(JsonElement value, string name, string field, long max, string source)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Invalid(source, $"tensor '{name}' has {field} {value.GetRawText()}; expected an array of non-negative integers");
        }

        var result = new long[value.GetArrayLength()];
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out var v) || v < 0 || v > max)
            {
                throw Invalid(source, $"tensor '{name}' has {field} element {item.GetRawText()}; expected an integer in [0, {max}]");
            }

            result[i++] = v;
        }

        return result;
    }

    private static InvalidDataException Invalid(string source, string problem) => new($"{source}: invalid safetensors header: {problem}.");
}
