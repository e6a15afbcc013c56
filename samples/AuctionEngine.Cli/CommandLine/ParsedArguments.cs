using System.Globalization;

namespace AuctionEngine.Cli.CommandLine;

/// <summary>
/// One command's arguments: positional arguments, options given as <c>--name value</c> or <c>--name=value</c>, and
/// bare flags such as <c>--plain</c>. Each command declares which names are flags, so an option's next argument is
/// always its value and a flag never swallows one.
/// </summary>
internal sealed class ParsedArguments
{
    private readonly Dictionary<string, string> _options;
    private readonly HashSet<string> _flags;

    private ParsedArguments(List<string> positionals, Dictionary<string, string> options, HashSet<string> flags)
    {
        Positionals = positionals;
        _options = options;
        _flags = flags;
    }

    /// <summary>The arguments that are not options or option values, in order.</summary>
    public IReadOnlyList<string> Positionals { get; }

    /// <summary>Splits <paramref name="args"/> into options and positional arguments.</summary>
    /// <param name="args">The arguments after the command name.</param>
    /// <param name="knownOptions">The options the command accepts, with their leading dashes.</param>
    /// <param name="knownFlags">The flags (options without a value) the command accepts, with their leading dashes.</param>
    /// <exception cref="UsageException">An option is unknown, repeated or missing its value, or a flag is given a value.</exception>
    public static ParsedArguments Parse(ReadOnlySpan<string> args, IReadOnlyCollection<string> knownOptions, IReadOnlyCollection<string>? knownFlags = null)
    {
        var positionals = new List<string>();
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < args.Length; i++)
        {
            string arg = args[i];
            if (arg.Length < 2 || arg[0] != '-')
            {
                positionals.Add(arg);
                continue;
            }

            int equals = arg.IndexOf('=', StringComparison.Ordinal);
            string name = equals < 0 ? arg : arg[..equals];
            if (knownFlags is not null && knownFlags.Contains(name))
            {
                if (equals >= 0)
                {
                    throw new UsageException($"option '{name}' takes no value.");
                }

                if (!flags.Add(name))
                {
                    throw new UsageException($"option '{name}' is given more than once.");
                }

                continue;
            }

            if (!knownOptions.Contains(name))
            {
                throw new UsageException($"unknown option '{name}'.");
            }

            string value;
            if (equals >= 0)
            {
                value = arg[(equals + 1)..];
            }
            else if (i + 1 < args.Length)
            {
                value = args[++i];
            }
            else
            {
                throw new UsageException($"option '{name}' needs a value.");
            }

            if (!options.TryAdd(name, value))
            {
                throw new UsageException($"option '{name}' is given more than once.");
            }
        }

        return new ParsedArguments(positionals, options, flags);
    }

    /// <summary>Whether the flag was given.</summary>
    public bool HasFlag(string flag) => _flags.Contains(flag);

    /// <summary>The option's value as an integer from <paramref name="min"/> to <paramref name="max"/>, or null when it is absent.</summary>
    /// <exception cref="UsageException">The value is not an integer in range.</exception>
    public long? GetOptionalInteger(string option, long min, long max)
    {
        if (!_options.TryGetValue(option, out string? text))
        {
            return null;
        }

        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value) || value < min || value > max)
        {
            throw new UsageException($"{option} must be an integer from {min} to {max}, not '{text}'.");
        }

        return value;
    }

    /// <summary>The option's value as an integer in range, or <paramref name="defaultValue"/> when it is absent.</summary>
    /// <exception cref="UsageException">The value is not an integer in range.</exception>
    public long GetInteger(string option, long defaultValue, long min, long max) =>
        GetOptionalInteger(option, min, max) ?? defaultValue;

    /// <summary>The option's text, or <paramref name="defaultValue"/> when it is absent.</summary>
    public string GetText(string option, string defaultValue) => _options.GetValueOrDefault(option, defaultValue);

    /// <summary>The value <paramref name="choices"/> maps the option's text to, or <paramref name="defaultValue"/> when it is absent.</summary>
    /// <exception cref="UsageException">The text is not one of the choices.</exception>
    public T GetChoice<T>(string option, IReadOnlyDictionary<string, T> choices, T defaultValue)
    {
        if (!_options.TryGetValue(option, out string? text))
        {
            return defaultValue;
        }

        return choices.TryGetValue(text, out T? value)
            ? value
            : throw new UsageException($"{option} must be one of {string.Join(", ", choices.Keys)}, not '{text}'.");
    }
}
