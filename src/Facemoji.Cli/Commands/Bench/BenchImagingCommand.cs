using System.CommandLine;
using System.Text.Json;
using Facemoji.Benchmarks.Imaging;
using Spectre.Console;

namespace Facemoji.Cli.Commands.Bench;

/// <summary>
/// <c>facemoji bench imaging</c>: single-threaded codec and resize speed through the public imaging entry points
/// (48x48 gray JPEG decodes per second; PNG and JPEG decode, encode and resize of the sample photo in ms), and
/// Skia's own JPEG codec on the same work (the reason JPEG stays on the system's libjpeg-turbo).
/// bench/imaging_compare.sh runs OpenCV (bench/imaging_opencv.py) on the same work.
/// </summary>
public static class BenchImagingCommand
{
    public static Command Create(BenchCommonOptions common)
    {
        var image = new Option<string>("--image")
        {
            Description = "The photo to decode, encode and resize (PNG).",
            DefaultValueFactory = _ => ImagingBenchmark.DefaultPng,
        };
        var jpegs = new Option<string>("--jpegs")
        {
            Description = "A folder of small JPEGs to decode as gray (the first 5000 *.jpg; crops of the photo when the folder is absent).",
            DefaultValueFactory = _ => ImagingBenchmark.DefaultJpegFolder,
        };

        var command = new Command("imaging", "Image decode, encode and resize speed on one thread (PNG, JPEG, 48x48 gray JPEGs).");
        common.AddTo(command);
        command.Options.Add(image);
        command.Options.Add(jpegs);
        command.SetAction(parseResult =>
        {
            BenchSettings settings = common.Read(parseResult);
            // One thread unless --threads says otherwise: the resizer is row-parallel, the OpenCV side runs on one.
            ParallelRows.MaxDegreeOfParallelism = settings.Threads ?? 1;
            var (result, source) = ImagingBenchmark.Run(parseResult.GetValue(image)!, parseResult.GetValue(jpegs)!, settings.Quick);
            if (settings.Json)
            {
                WriteJson(result, source, settings);
            }
            else
            {
                WriteTable(result, source);
            }

            return 0;
        });
        return command;
    }

    private static void WriteTable(ImagingBenchmarkResult r, string source)
    {
        var table = new Table().Title("Imaging, one thread").Caption(Markup.Escape(BenchMachine.Describe()));
        table.AddColumns("operation", "input", "time");
        table.Columns[2].RightAligned();
        string photo = Markup.Escape($"{r.PngName} {r.PngWidth}x{r.PngHeight}");
        table.AddRow("jpeg decode gray", Markup.Escape($"{r.JpegFiles} files {source}"), $"{r.JpegGrayDecodesPerSecond:F0} decodes/s");
        table.AddRow("png decode rgba", photo, $"{r.PngRgbaMilliseconds:F2} ms");
        table.AddRow("png decode gray", photo, $"{r.PngGrayMilliseconds:F2} ms");
        table.AddRow("jpeg decode rgba", photo + " as JPEG q90", $"{r.JpegRgbaMilliseconds:F2} ms");
        table.AddRow("png encode", photo, $"{r.PngEncodeMilliseconds:F2} ms");
        table.AddRow("jpeg encode q90", photo, $"{r.JpegEncodeMilliseconds:F2} ms");
        table.AddRow("resize half (area)", photo, $"{r.ResizeHalfMilliseconds:F2} ms");
        table.AddRow("resize double (bilinear)", photo, $"{r.ResizeDoubleMilliseconds:F2} ms");
        table.AddRow("[dim]jpeg decode gray, Skia's codec[/]", Markup.Escape($"{r.JpegFiles} files {source}"), $"[dim]{r.SkiaJpegGrayDecodesPerSecond:F0} decodes/s[/]");
        table.AddRow("[dim]jpeg decode rgba, Skia's codec[/]", photo + " as JPEG q90", $"[dim]{r.SkiaJpegRgbaMilliseconds:F2} ms[/]");
        table.AddRow("[dim]jpeg encode q90, Skia's codec[/]", photo, $"[dim]{r.SkiaJpegEncodeMilliseconds:F2} ms[/]");
        AnsiConsole.Write(table);
    }

    private static void WriteJson(ImagingBenchmarkResult r, string source, BenchSettings settings)
    {
        using var stream = Console.OpenStandardOutput();
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("benchmark", "imaging");
        json.WriteBoolean("quick", settings.Quick);
        BenchMachine.Write(json);
        json.WriteString("jpegs", source);
        json.WriteNumber("jpeg_files", r.JpegFiles);
        json.WriteNumber("jpeg_gray_decodes_per_second", Math.Round(r.JpegGrayDecodesPerSecond));
        json.WriteString("image", r.PngName);
        json.WriteNumber("width", r.PngWidth);
        json.WriteNumber("height", r.PngHeight);
        json.WriteNumber("png_decode_rgba_ms", Math.Round(r.PngRgbaMilliseconds, 3));
        json.WriteNumber("png_decode_gray_ms", Math.Round(r.PngGrayMilliseconds, 3));
        json.WriteNumber("jpeg_decode_rgba_ms", Math.Round(r.JpegRgbaMilliseconds, 3));
        json.WriteNumber("png_encode_ms", Math.Round(r.PngEncodeMilliseconds, 3));
        json.WriteNumber("jpeg_encode_ms", Math.Round(r.JpegEncodeMilliseconds, 3));
        json.WriteNumber("resize_half_area_ms", Math.Round(r.ResizeHalfMilliseconds, 3));
        json.WriteNumber("resize_double_bilinear_ms", Math.Round(r.ResizeDoubleMilliseconds, 3));
        json.WriteNumber("skia_jpeg_gray_decodes_per_second", Math.Round(r.SkiaJpegGrayDecodesPerSecond));
        json.WriteNumber("skia_jpeg_decode_rgba_ms", Math.Round(r.SkiaJpegRgbaMilliseconds, 3));
        json.WriteNumber("skia_jpeg_encode_ms", Math.Round(r.SkiaJpegEncodeMilliseconds, 3));
        json.WriteEndObject();
    }
}
