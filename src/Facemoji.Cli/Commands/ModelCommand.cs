using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Facemoji.Engine.Networks;
using Facemoji.Training.Averaging;
using Facemoji.Training.Evaluation;
using Facemoji.Training.Reports;
using Spectre.Console;

namespace Facemoji.Cli.Commands;

/// <summary>
/// <c>facemoji model show MODEL.fmj [--json] [--diagram model.svg]</c>: the layers with output shapes,
/// parameters and multiply-adds, the preprocessing, labels, temperature and training metadata of a model file
/// (what Keras's summary() and plot_model show); <c>facemoji model average A.fmj B.fmj ... -o soup.fmj</c>: the
/// mean of several models' weights (a model soup).
/// </summary>
public static class ModelCommand
{
    public static Command Create()
    {
        var command = new Command("model", "Inspect and combine model files.");
        command.Subcommands.Add(CreateShow());
        command.Subcommands.Add(CreateAverage());
        return command;
    }

    private static Command CreateShow()
    {
        var model = new Argument<string>("model") { Description = "The model file (.fmj)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object and nothing else on stdout." };
        var diagram = new Option<string?>("--diagram") { Description = "Also draw the architecture as an SVG file here." };
        var command = new Command("show", "Show a model file: layers, output shapes, parameters, multiply-adds, preprocessing, labels, temperature, training metadata.");
        command.Arguments.Add(model);
        command.Options.Add(json);
        command.Options.Add(diagram);
        command.SetAction(parse =>
        {
            var description = ModelDescription.Load(parse.GetValue(model)!);
            if (parse.GetValue(diagram) is { } diagramPath)
            {
                ArchitectureDiagramSvg.Write(description, diagramPath);
                (parse.GetValue(json) ? Console.Error : Console.Out).WriteLine($"diagram: {diagramPath}");
            }

            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(description.ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
                return 0;
            }

            WriteText(description);
            return 0;
        });
        return command;
    }

    private static Command CreateAverage()
    {
        var models = new Argument<string[]>("models") { Description = "Two or more model files (.fmj) of the same network, labels and preprocessing, such as fine-tuning runs from the same weights.", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--output", "-o") { Description = "The model file to write.", Required = true };
        var command = new Command("average", "Average the weights of several model files of one network into one (a model soup): one network's cost, usually better than each member. Evaluate the result; calibrate it with `facemoji calibrate`.");
        command.Arguments.Add(models);
        command.Options.Add(output);
        command.SetAction(parse =>
        {
            var averaged = ModelAveraging.Average(parse.GetValue(models)!, parse.GetValue(output)!);
            Console.WriteLine(averaged.Describe());
            foreach (var (path, sha256) in averaged.Inputs)
            {
                Console.WriteLine($"  {path} (sha256 {sha256[..8]})");
            }

            Console.WriteLine("temperature: none (not calibrated); fit one with `facemoji calibrate`");
            return 0;
        });
        return command;
    }

    private static void WriteText(ModelDescription d)
    {
        var inv = CultureInfo.InvariantCulture;
        var h = d.Header;
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(d.Path)}[/]: {Markup.Escape(h.Architecture)}, format {d.FormatVersion}, {d.FileBytes.ToString("N0", inv)} bytes, created {h.CreatedUtc:u}");
        var layers = new Table().AddColumns("layer", "kind", "description", "output shape", "parameters", "multiply-adds");
        layers.Columns[4].RightAligned();
        layers.Columns[5].RightAligned();
        layers.AddRow("input", "", "", NetworkSummary.Shape(d.Summary.InputShape), "", "");
        foreach (var l in d.Summary.Layers)
        {
            layers.AddRow(Markup.Escape(l.Name), l.Kind, Markup.Escape(l.Description), NetworkSummary.Shape(l.OutputShape), l.Parameters.ToString("N0", inv), l.MultiplyAdds.ToString("N0", inv));
        }

        layers.AddRow("[bold]total[/]", "", "", "", $"[bold]{d.Summary.Parameters.ToString("N0", inv)}[/]", $"[bold]{d.Summary.MultiplyAdds.ToString("N0", inv)}[/]");
        AnsiConsole.Write(layers);
        var pre = h.Preprocessing;
        Console.WriteLine($"preprocessing: {pre.Width}x{pre.Height}, {pre.Channels} channel(s), x = (pixel/255 - {string.Join(", ", pre.Mean.Select(m => m.ToString("R", inv)))}) / {string.Join(", ", pre.Std.Select(s => s.ToString("R", inv)))}, crop {pre.CropPolicy}");
        Console.WriteLine($"labels: {string.Join(", ", h.Labels.Select((l, i) => $"{i} {l}"))}");
        Console.WriteLine(h.Temperature is { } t
            ? $"temperature: {t.ToString("0.####", inv)} (probabilities are softmax(logits / {t.ToString("0.####", inv)}))"
            : "temperature: none (not calibrated; probabilities are the plain softmax, T = 1)");
        if (h.ArchitectureOptions.Count > 0)
        {
            Console.WriteLine("architecture options: " + string.Join(", ", h.ArchitectureOptions.Select(p => $"{p.Key}={p.Value}")));
        }

        if (h.Metrics.Count > 0)
        {
            Console.WriteLine("metrics:");
            foreach (var (key, value) in h.Metrics.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                Console.WriteLine($"  {key}: {value.ToString("0.######", inv)}");
            }
        }

        if (h.TrainingInfo.Count > 0)
        {
            Console.WriteLine("training:");
            foreach (var (key, value) in h.TrainingInfo.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                Console.WriteLine($"  {key}: {value}");
            }
        }
    }
}
