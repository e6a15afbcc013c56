using System.Globalization;
using System.Text;
using System.Text.Json;

namespace AuctionEngine.Cli.Simulation;

/// <summary>
/// A parsed JSON value that remembers its line and its path from the root, so that a bad scenario is refused with
/// both (System.Text.Json's <see cref="JsonDocument"/> forgets where its elements came from).
/// </summary>
internal sealed class ScenarioNode
{
    private readonly Dictionary<string, ScenarioNode>? _properties;
    private readonly List<ScenarioNode>? _items;

    private ScenarioNode(JsonTokenType kind, long line, string path, string? text, Dictionary<string, ScenarioNode>? properties, List<ScenarioNode>? items)
    {
        Kind = kind;
        Line = line;
        Path = path;
        Text = text;
        _properties = properties;
        _items = items;
    }

    /// <summary>StartObject, StartArray, String, Number, True, False or Null.</summary>
    public JsonTokenType Kind { get; }

    /// <summary>The 1-based line the value starts on.</summary>
    public long Line { get; }

    /// <summary>Where it is, e.g. <c>blocks[2].instructions[0].triggerPrice</c>.</summary>
    public string Path { get; }

    /// <summary>A string's value or a number's text.</summary>
    public string? Text { get; }

    /// <summary>An array's items.</summary>
    public IReadOnlyList<ScenarioNode> Items => _items ?? throw Error("must be an array");

    /// <summary>Parses a whole file.</summary>
    /// <exception cref="ScenarioException">The bytes are not one JSON value.</exception>
    public static ScenarioNode Parse(string file, byte[] utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        try
        {
            if (!reader.Read())
            {
                throw new ScenarioException($"{file}: the file is empty");
            }

            ScenarioNode root = Read(ref reader, utf8, file, "");
            if (reader.Read())
            {
                throw new ScenarioException($"{file}, line {LineOf(utf8, reader.TokenStartIndex)}: more follows the scenario object");
            }

            return root;
        }
        catch (JsonException e)
        {
            throw new ScenarioException($"{file}, line {(e.LineNumber ?? 0) + 1}: not valid JSON: {e.Message.Split(" LineNumber", 2)[0].ReplaceLineEndings(" ").Trim()}");
        }
    }

    /// <summary>An object's property, or null when absent (or JSON null).</summary>
    public ScenarioNode? this[string name] =>
        (_properties ?? throw Error("must be an object")).TryGetValue(name, out ScenarioNode? node) && node.Kind != JsonTokenType.Null ? node : null;

    /// <summary>Refuses properties not in <paramref name="known"/>, naming the first unknown one.</summary>
    public void OnlyKeys(params string[] known)
    {
        foreach ((string name, ScenarioNode node) in _properties ?? throw Error("must be an object"))
        {
            if (!known.Contains(name, StringComparer.Ordinal))
            {
                throw node.Error($"is not a known key here; the keys are {string.Join(", ", known)}");
            }
        }
    }

    /// <summary>An integer within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public long Integer(long min, long max)
    {
        if (Kind != JsonTokenType.Number || !long.TryParse(Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
        {
            throw Error($"must be an integer from {min} to {max}");
        }

        return value >= min && value <= max ? value : throw Error($"must be an integer from {min} to {max}, not {value}");
    }

    /// <summary>A finite number within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public double Number(double min, double max)
    {
        if (Kind != JsonTokenType.Number || !double.TryParse(Text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
        {
            throw Error($"must be a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}");
        }

        return value >= min && value <= max
            ? value
            : throw Error($"must be a number from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}, not {Text}");
    }

    /// <summary>An object's properties, in the order the file lists them.</summary>
    public IEnumerable<(string Name, ScenarioNode Node)> Properties =>
        (_properties ?? throw Error("must be an object")).Select(p => (p.Key, p.Value));

    /// <summary>true or false.</summary>
    public bool Boolean() => Kind switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        _ => throw Error("must be true or false"),
    };

    /// <summary>A string.</summary>
    public string String() => Kind == JsonTokenType.String ? Text! : throw Error("must be a string");

    /// <summary>A string or a number, as text: an id.</summary>
    public string Name() => Kind is JsonTokenType.String or JsonTokenType.Number && Text!.Length > 0 ? Text : throw Error("must be a non-empty string or a number");

    /// <summary>One of <paramref name="choices"/>.</summary>
    public string Choice(params string[] choices)
    {
        string text = Kind == JsonTokenType.String ? Text! : "";
        return choices.Contains(text, StringComparer.Ordinal) ? text : throw Error($"must be one of {string.Join(", ", choices.Select(c => $"\"{c}\""))}");
    }

    /// <summary>A problem with this value, naming its line and path.</summary>
    public ScenarioException Error(string problem) => new($"line {Line}, {(Path.Length == 0 ? "the scenario" : Path)}: {problem}");

    private static ScenarioNode Read(ref Utf8JsonReader reader, byte[] utf8, string file, string path)
    {
        long line = LineOf(utf8, reader.TokenStartIndex);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
            {
                var properties = new Dictionary<string, ScenarioNode>(StringComparer.Ordinal);
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    string name = reader.GetString()!;
                    long nameLine = LineOf(utf8, reader.TokenStartIndex);
                    reader.Read();
                    string child = path.Length == 0 ? name : $"{path}.{name}";
                    if (!properties.TryAdd(name, Read(ref reader, utf8, file, child)))
                    {
                        throw new ScenarioException($"line {nameLine}, {child}: appears twice");
                    }
                }

                return new ScenarioNode(JsonTokenType.StartObject, line, path, null, properties, null);
            }

            case JsonTokenType.StartArray:
            {
                var items = new List<ScenarioNode>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    items.Add(Read(ref reader, utf8, file, $"{path}[{items.Count}]"));
                }

                return new ScenarioNode(JsonTokenType.StartArray, line, path, null, null, items);
            }

            case JsonTokenType.String:
                return new ScenarioNode(JsonTokenType.String, line, path, reader.GetString(), null, null);
            case JsonTokenType.Number:
                return new ScenarioNode(JsonTokenType.Number, line, path, Encoding.UTF8.GetString(reader.ValueSpan), null, null);
            default:
                return new ScenarioNode(reader.TokenType, line, path, null, null, null);
        }
    }

    private static long LineOf(byte[] utf8, long offset) => utf8.AsSpan(0, (int)offset).Count((byte)'\n') + 1;
}

/// <summary>A scenario that cannot be run; the message names the line and the field.</summary>
internal sealed class ScenarioException(string message) : Exception(message);
