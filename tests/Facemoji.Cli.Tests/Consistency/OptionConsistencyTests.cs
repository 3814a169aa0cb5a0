using System.CommandLine;

namespace Facemoji.Cli.Tests.Consistency;

/// <summary>
/// One vocabulary across verbs, checked on the real command tree (every verb and sub-verb): an option name means
/// the same everywhere (type, short form, default, values), output goes through -o/--output, values from a fixed
/// set are read in any case, and a bad value's message names the option and never a .NET type.
/// </summary>
public class OptionConsistencyTests
{
    // Where one option name has one meaning, one default. The exceptions, each for a reason: demo's --mode may
    // also say "all" (its default: every mode); evaluate's and calibrate's --batch-size are images per forward pass, which can be
    // larger than train's images per optimizer step; calibrate's --seed defaults to the model's own training seed
    // (so that it holds out the images the trainer held out).
    private static readonly HashSet<(string Verb, string Option)> DefaultExceptions = [("demo", "--mode"), ("evaluate", "--batch-size"), ("calibrate", "--batch-size"), ("calibrate", "--seed")];

    public static IEnumerable<(string Path, Command Command)> Verbs()
    {
        var stack = new Stack<(string, Command)>();
        stack.Push((string.Empty, Program.BuildRoot()));
        while (stack.Count > 0)
        {
            var (path, command) = stack.Pop();
            foreach (var sub in command.Subcommands)
            {
                string subPath = path.Length == 0 ? sub.Name : $"{path} {sub.Name}";
                stack.Push((subPath, sub));
                yield return (subPath, sub);
            }
        }
    }

    private static IEnumerable<(string Verb, Option Option)> AllOptions() =>
        Verbs().SelectMany(v => v.Command.Options.Where(o => o is not System.CommandLine.Help.HelpOption && o.GetType().Name != "VersionOption").Select(o => (v.Path, o)));

    private static Type ValueTypeOf(Option option) => Nullable.GetUnderlyingType(option.ValueType) ?? option.ValueType;

    [Fact]
    public void The_tree_has_every_verb()
    {
        Verbs().Select(v => v.Path).Should().Contain(["image", "video", "demo", "train", "evaluate", "serve", "live", "packs show", "packs new", "bench train"]);
    }

    [Fact]
    public void An_option_name_has_one_type_one_short_form_and_one_default_everywhere()
    {
        foreach (var group in AllOptions().GroupBy(o => o.Option.Name))
        {
            var first = group.First();
            foreach (var (verb, option) in group)
            {
                // A nullable value (an option whose absence means "take it from elsewhere") reads the same values.
                ValueTypeOf(option).Should().Be(ValueTypeOf(first.Option), $"{option.Name} of '{verb}' is read like that of '{first.Verb}'");
                option.Aliases.Where(a => a.Length == 2).Should().BeEquivalentTo(first.Option.Aliases.Where(a => a.Length == 2), $"{option.Name} of '{verb}' has the short forms of '{first.Verb}'");
                if (!DefaultExceptions.Contains((verb, option.Name)) && !DefaultExceptions.Contains((first.Verb, option.Name)))
                {
                    DefaultOf(option).Should().Be(DefaultOf(first.Option), $"{option.Name} has one default ('{verb}' and '{first.Verb}')");
                }

                option.Description.Should().NotBeNullOrWhiteSpace($"{option.Name} of '{verb}' says what it does");
            }
        }
    }

    [Fact]
    public void Output_is_dash_o_everywhere_and_no_verb_calls_it_otherwise()
    {
        foreach (var (verb, option) in AllOptions())
        {
            if (option.Name is "--out" or "--svg" || option.Aliases.Contains("-o"))
            {
                option.Name.Should().Be("--output", $"'{verb}' writes through -o/--output");
                option.Aliases.Should().Contain("-o", $"'{verb}' --output has its short form");
            }
        }

        foreach (string verb in new[] { "image", "video", "demo", "train", "evaluate", "packs show", "packs new" })
        {
            Verbs().Single(v => v.Path == verb).Command.Options.Should().Contain(o => o.Name == "--output", $"'{verb}' writes files");
        }
    }

    [Fact]
    public void The_model_option_names_the_shipped_model_file()
    {
        foreach (var (verb, option) in AllOptions().Where(o => o.Option.Name == "--model"))
        {
            option.Description.Should().Contain("models/facemoji.fmj", $"'{verb}' --model says which file runs by default");
        }
    }

    [Fact]
    public void The_mode_option_lists_its_values_as_the_readme_and_the_page_write_them()
    {
        foreach (var (verb, option) in AllOptions().Where(o => o.Option.Name == "--mode"))
        {
            option.HelpName.Should().StartWith("cover|badge|panel", $"'{verb}' --mode lists the modes in lowercase, in the README's order");
        }
    }

    [Fact]
    public void Every_verb_accepts_mode_and_choices_in_any_case_with_one_default()
    {
        var modes = AllOptions().Where(o => o.Option.Name == "--mode").ToList();
        modes.Select(m => m.Verb).Should().Contain(["image", "video", "demo", "serve", "live"]);
        foreach (var (verb, option) in modes.Where(m => !DefaultExceptions.Contains((m.Verb, "--mode"))))
        {
            DefaultOf(option).Should().Be("cover", $"'{verb}' starts in the same mode as every other verb");
        }

        // Every option whose help lists its values (a|b|c) reads them in any case.
        foreach (var (verb, option) in AllOptions().Where(o => o.Option.HelpName?.Contains('|') == true && o.Option.ValueType == typeof(string)))
        {
            foreach (string value in option.HelpName!.Split('|'))
            {
                if (value.Contains('/'))
                {
                    continue; // a folder is no fixed value
                }

                var parse = Parse(verb, option.Name, value.ToUpperInvariant());
                parse.Errors.Where(e => e.Message.Contains(option.Name)).Should().BeEmpty($"'{verb} {option.Name} {value.ToUpperInvariant()}' is read like '{value}'");
            }
        }
    }

    [Fact]
    public void A_negative_seed_is_told_what_a_seed_takes()
    {
        // "'-1' is not a whole number" was wrong: it is one, but a seed is unsigned.
        Program.FriendlyErrors(Program.BuildRoot().Parse(["train", "--seed", "-1"])).Should().Contain("--seed: '-1' is not a whole number of 0 or more.");
    }

    [Fact]
    public void A_bad_value_names_the_option_and_never_a_dotnet_type()
    {
        foreach (var (verb, option) in AllOptions().Where(o => o.Option.ValueType != typeof(bool)))
        {
            var parse = Parse(verb, option.Name, "no-such-value-42");
            foreach (string message in Program.FriendlyErrors(parse))
            {
                message.Should().NotContain("System.").And.NotContain("Facemoji.").And.NotContain("expected type", $"'{verb} {option.Name}' explains itself");
            }

            if (option.ValueType == typeof(int) || option.ValueType == typeof(double) || option.ValueType == typeof(int?))
            {
                Program.FriendlyErrors(parse).Should().Contain(m => m.StartsWith(option.Name) && m.Contains("no-such-value-42"), $"'{verb} {option.Name}' names the option and the value");
            }

            if (option.HelpName?.Contains('|') == true && !option.HelpName.Contains('/'))
            {
                Program.FriendlyErrors(parse).Should().Contain(m => m.StartsWith(option.Name) && m.Contains(option.HelpName.Split('|')[0]), $"'{verb} {option.Name}' lists the good values");
            }
        }
    }

    private static ParseResult Parse(string verb, string option, string value) =>
        Program.BuildRoot().Parse([.. verb.Split(' '), option, value]);

    private static object? DefaultOf(Option option)
    {
        if (!option.HasDefaultValue)
        {
            return null;
        }

        // A list default (bench's --batch 64) is compared by its items, not by reference.
        object? value = option.GetDefaultValue();
        return value is System.Collections.IEnumerable items and not string
            ? string.Join(' ', items.Cast<object?>())
            : value;
    }
}
