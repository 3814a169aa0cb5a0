using System.CommandLine;
using Facemoji.Emoji;
using Facemoji.Emoji.Display;
using Facemoji.Emoji.Packs;
using Facemoji.Engine;
using Facemoji.Imaging;
using Spectre.Console;

namespace Facemoji.Cli.Commands;

/// <summary>
/// <c>facemoji packs list | show NAME | validate DIR | new NAME</c>: the emoji packs there are, a contact sheet
/// of one (every emotion at every intensity), a check of a user pack folder that names every problem, and a new
/// pack started from the pictures of another.
/// </summary>
public static class PacksCommand
{
    public static Command Create()
    {
        var command = new Command("packs", "List, preview and check emoji packs (facemoji, noto, your own folders with pack.json).");
        command.Subcommands.Add(CreateList());
        command.Subcommands.Add(CreateShow());
        command.Subcommands.Add(CreateValidate());
        command.Subcommands.Add(CreateNew());
        return command;
    }

    private static Command CreateList()
    {
        var list = new Command("list", "List the packs that --pack accepts.");
        list.SetAction(_ => CliErrors.Run(() =>
        {
            var table = new Table().AddColumns("Pack", "Where", "About", "Status");
            foreach (var pack in EmojiPacks.List())
            {
                table.AddRow(
                    Markup.Escape(pack.Name),
                    Markup.Escape(pack.Location),
                    Markup.Escape(pack.About),
                    Markup.Escape(pack.Problem ?? "ok"));
            }

            AnsiConsole.Write(table);
            AnsiConsole.MarkupLine($"User packs are folders with a {PackManifest.FileName} in [blue]{Markup.Escape(EmojiPacks.UserPacksFolder)}[/] (set {EmojiPacks.PacksFolderVariable} to change), or any folder given by path.");
            return 0;
        }));
        return list;
    }

    private static Command CreateShow()
    {
        var name = new Argument<string>("pack") { Description = "facemoji, noto, a user pack name or a pack folder." };
        var output = CommonOptions.Output("Image to write, PNG, JPEG or WebP by extension (default: PACK-contact-sheet.png).");
        output.Aliases.Add("--out"); // the earlier name
        var size = new Option<int>("--size") { Description = "Emoji size in pixels in the sheet.", DefaultValueFactory = _ => 96 };
        var show = new Command("show", "Write a contact sheet of a pack: each emotion at each intensity, labelled.") { name, output, size };
        show.SetAction(parse => CliErrors.Run(() =>
        {
            int cell = parse.GetValue(size);
            if (cell is < 16 or > 512)
            {
                throw new FacemojiException($"--size {cell}: choose 16..512 pixels.");
            }

            var pack = EmojiPacks.Resolve(parse.GetValue(name));
            string path = parse.GetValue(output) ?? $"{pack.Name}-contact-sheet.png";
            var sheet = ContactSheet.Render([pack], cell);
            ImageCodecs.Save(sheet, path);
            AnsiConsole.MarkupLine($"Wrote [blue]{Markup.Escape(path)}[/] ({sheet.Width}x{sheet.Height}): {Markup.Escape(pack.Description)}");
            return 0;
        }));
        return show;
    }

    private static Command CreateNew()
    {
        var name = new Argument<string>("name") { Description = "The new pack's name: lowercase letters, digits, '-' or '_'." };
        var from = new Option<string>("--from") { Description = "The pack whose pictures start it: facemoji, noto, a user pack name or a pack folder.", DefaultValueFactory = _ => EmojiPacks.DefaultName, HelpName = "pack" };
        var output = CommonOptions.Output($"The new pack's folder (default: the user pack folder's NAME, {EmojiPacks.UserPacksFolder}/NAME).");
        var create = new Command("new", "Start a pack: a new folder with pack.json and one PNG per emotion and intensity, drawn by another pack.") { name, from, output };
        create.SetAction(parse => CliErrors.Run(() =>
        {
            string packName = parse.GetValue(name)!;
            string folder = parse.GetValue(output) ?? Path.Combine(EmojiPacks.UserPacksFolder, packName);
            var template = EmojiPacks.Resolve(parse.GetValue(from));
            var result = PackTemplate.Create(folder, packName, template, Environment.UserName is { Length: > 0 } user ? user : "me");
            AnsiConsole.MarkupLine($"Wrote [blue]{Markup.Escape(folder)}[/]: {PackManifest.FileName} and {result.Manifest!.Images.Values.Sum(v => v.Count)} pictures from the {Markup.Escape(template.Name)} pack.");
            AnsiConsole.MarkupLine($"Replace the pictures, then check with [bold]facemoji packs validate {Markup.Escape(folder)}[/] and use it with [bold]--pack {Markup.Escape(parse.GetValue(output) is null ? packName : folder)}[/].");
            return 0;
        }));
        return create;
    }

    private static Command CreateValidate()
    {
        var folder = new Argument<string>("dir") { Description = "A pack folder (with pack.json and PNG files)." };
        var validate = new Command("validate", "Check a user pack folder and list every problem.") { folder };
        validate.SetAction(parse => CliErrors.Run(() =>
        {
            string dir = parse.GetValue(folder)!;
            var result = PackValidator.Validate(dir);
            if (result.IsValid)
            {
                var m = result.Manifest!;
                AnsiConsole.MarkupLine($"[green]valid[/]: pack [bold]{Markup.Escape(m.Name)}[/] by {Markup.Escape(m.Author)} ({Markup.Escape(m.Licence)}), {m.Images.Values.Sum(v => v.Count)} image entries for 7 emotions.");
                return 0;
            }

            // Paths inside the pack are shown relative to it: the folder is in the summary line.
            string prefix = Path.GetFullPath(dir).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
            var table = new Table().AddColumns("Problem", "Where", "What");
            foreach (var problem in result.Problems)
            {
                table.AddRow(problem.Kind.ToString(), Markup.Escape(problem.Where.Replace(prefix, string.Empty, StringComparison.Ordinal)), Markup.Escape(problem.Message));
            }

            AnsiConsole.Write(table);
            Console.Error.WriteLine($"error: pack '{dir}' has {result.Problems.Count} problem{(result.Problems.Count == 1 ? "" : "s")}.");
            return CliErrors.UserError;
        }));
        return validate;
    }
}
