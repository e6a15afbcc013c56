using System.CommandLine;
using System.CommandLine.Parsing;
using AuctionEngine.Cli.Output;

namespace AuctionEngine.Cli.CommandLine;

/// <summary>
/// The one thing to tell a user whose command line cannot run, and the command whose help explains it. Only the first
/// problem is reported: a mistyped option throws every later argument out of place, and the errors that follow from
/// it would bury the one that matters.
/// </summary>
/// <param name="Command">The command the arguments were for.</param>
/// <param name="Message">What is wrong, with a suggestion when a name was probably mistyped.</param>
internal sealed record UsageError(Command Command, string Message)
{
    /// <summary>The problem with <paramref name="parsed"/>, or null when it can run (or asked for help, a version or completions).</summary>
    public static UsageError? Find(ParseResult parsed)
    {
        if (parsed.Action is { ClearsParseErrors: true })
        {
            return null;
        }

        Command command = parsed.CommandResult.Command;

        // System.CommandLine takes an unknown option for an argument when the command has one (`clear --rul x` makes
        // "--rul" the FILE), so options are recognised here by their dashes. A dash and a digit is a negative number.
        foreach (Token token in parsed.Tokens)
        {
            if (token.Type == TokenType.DoubleDash)
            {
                break;
            }

            if (token.Type == TokenType.Argument && LooksLikeOption(token.Value))
            {
                string name = token.Value.Split('=', ':')[0];
                return new UsageError(command, $"unknown option '{name}'{DidYouMean(name, OptionNames(parsed))}");
            }
        }

        if (parsed.Errors.Count == 0)
        {
            return null;
        }

        if (parsed.UnmatchedTokens.Count > 0)
        {
            string unmatched = parsed.UnmatchedTokens[0];
            return command.Subcommands.Count > 0
                ? new UsageError(command, $"unknown command '{unmatched}'{DidYouMean(unmatched, command.Subcommands.Select(c => c.Name), orElse: $"; the commands are {CommandList(command)}")}")
                : new UsageError(command, $"unexpected argument '{unmatched}'");
        }

        // The root with no command named, or a command that only groups others (auction option) with none of them.
        if ((command is RootCommand && parsed.Tokens.All(t => t.Type != TokenType.Command)) || (command is not RootCommand && command.Subcommands.Count > 0 && command.Action is null))
        {
            return new UsageError(command, $"a command is needed: {Prose.List([.. command.Subcommands.Select(c => c.Name)], "or")}");
        }

        ParseError first = parsed.Errors[0];
        if (first.SymbolResult is OptionResult { Tokens.Count: 0 } valueless && valueless.Option.Arity.MinimumNumberOfValues > 0)
        {
            return new UsageError(command, $"{valueless.Option.Name} needs a value");
        }

        Argument? missing = command.Arguments.FirstOrDefault(a => a.Arity.MinimumNumberOfValues > 0 && parsed.GetResult(a) is null or { Tokens.Count: 0 });
        if (missing is not null)
        {
            return new UsageError(command, $"{command.Name} needs a {missing.Name}");
        }

        return new UsageError(command, first.Message);
    }

    private static bool LooksLikeOption(string token) => token.Length > 1 && token[0] == '-' && !char.IsAsciiDigit(token[1]);

    /// <summary>The options accepted where the parse ended: the command's own, and those its parents pass down (--help).</summary>
    private static IEnumerable<string> OptionNames(ParseResult parsed)
    {
        bool own = true;
        for (SymbolResult? result = parsed.CommandResult; result is not null; result = result.Parent)
        {
            if (result is CommandResult commandResult)
            {
                foreach (Option option in commandResult.Command.Options.Where(o => own || o.Recursive))
                {
                    yield return option.Name;
                    foreach (string alias in option.Aliases)
                    {
                        yield return alias;
                    }
                }

                own = false;
            }
        }
    }

    private static string DidYouMean(string typed, IEnumerable<string> known, string orElse = "")
    {
        IReadOnlyList<string> suggestions = Suggestions.For(typed, known);
        return suggestions.Count == 0 ? orElse : $"; did you mean {Prose.List([.. suggestions.Select(s => $"'{s}'")], "or")}?";
    }

    private static string CommandList(Command root) => Prose.List([.. root.Subcommands.Select(c => c.Name)]);
}
