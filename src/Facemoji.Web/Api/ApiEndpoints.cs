using System.ComponentModel;
using System.Diagnostics;
using System.Reflection;
using Facemoji.Expressions;
using Facemoji.Imaging;
using Facemoji.Pipeline;
using Facemoji.Web.Analysis;
using Facemoji.Web.Api.Schemas;
using Facemoji.Web.Packs;
using Facemoji.Web.Saves;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Facemoji.Web.Api;

/// <summary>The HTTP API under <c>/api</c>; each route carries its own OpenAPI description (<see cref="ApiDocument"/>).</summary>
internal static class ApiEndpoints
{
    public static void Map(IEndpointRouteBuilder app, ServerState state)
    {
        const int BadRequest = StatusCodes.Status400BadRequest, NotFound = StatusCodes.Status404NotFound, TooLarge = StatusCodes.Status413PayloadTooLarge,
            Unsupported = StatusCodes.Status415UnsupportedMediaType, Unreadable = StatusCodes.Status422UnprocessableEntity;
        app.MapGet("/api/health", () => Results.Json(Health(state), WebJson.Options))
            .Answers<HealthReport>("The server is up: version, analyzer, packs, open sockets, resident memory.");
        app.MapGet("/api/config", () => Results.Json(
            new ServerConfig(state.Options.Pack, state.Options.Mode, ["cover", "badge", "panel"], EmotionNames.Canonical,
                new ConfigLimits(state.Limits.MaxRequestBytes, state.Limits.MaxImagePixels, state.Limits.MaxSocketMessageBytes, state.Limits.MaxConcurrentSockets)),
            WebJson.Options))
            .Answers<ServerConfig>("What the page starts with: pack, display mode, the modes, the emotions, the limits.");
        app.MapGet("/api/packs", () => Results.Json(
            state.Packs.All.Select(p => new PackInfo(p.Name, p.Description, p.HasSvg)),
            WebJson.Options))
            .Answers<PackInfo[]>("The emoji packs this server offers.");
        app.MapGet("/api/emoji/{pack}/{emotion}/{file}", (
                [Description("A pack name from /api/packs.")] string pack,
                [Description("angry, disgust, fear, happy, sad, surprise or neutral.")] string emotion,
                [Description("The intensity and format: mild, clear or strong, then .png or .svg.")] string file,
                [Description("The side of the picture in pixels (PNG).")] string? size) => Emoji(state, pack, emotion, file, size))
            .AnswersFile("One emoji picture: GET /api/emoji/facemoji/happy/strong.svg or /api/emoji/noto/sad/mild.png.", "image/png", "image/svg+xml")
            .Refuses(BadRequest, NotFound);
        app.MapPost("/api/analyze", (HttpRequest request,
                [Description("png or jpeg: answer with the picture with the emoji drawn on it, in this format.")] string? annotate,
                [Description("With annotate: a pack name from /api/packs (default: the server's).")] string? pack,
                [Description("With annotate: the display mode, cover, badge or panel (default: the server's).")] string? mode,
                CancellationToken cancel) => AnalyzeAsync(state, request, annotate, pack, mode, cancel))
            .Answers<ImageAnalysis>("Analyze an image: the same JSON as `facemoji image --json`; with annotate=png or annotate=jpeg, the annotated picture instead (face count in X-Facemoji-Faces).")
            .AlsoAnswers(StatusCodes.Status200OK, "image/png", "image/jpeg")
            .TakesImage()
            .Refuses(BadRequest, TooLarge, Unsupported, Unreadable);
        app.MapPost("/api/saves", (HttpRequest request, CancellationToken cancel) => SaveAsync(state, request, cancel))
            .Answers<SavedPicture>("Store a composed picture (PNG or JPEG body, or a multipart file) in the server's saves/ folder.", StatusCodes.Status201Created)
            .TakesImage()
            .Refuses(BadRequest, TooLarge, Unsupported, Unreadable);
        app.MapGet("/api/saves", () => Results.Json(state.Saves.List(), WebJson.Options))
            .Answers<SavedPicture[]>("The saved pictures, newest first.");
        app.MapGet("/api/saves/{name}", ([Description("A name the server made: facemoji-YYYYMMDD-HHMMSS-fff[-n].png or .jpg.")] string name) => SavedFile(state, name))
            .AnswersFile("One saved picture. Only names the server made (facemoji-YYYYMMDD-HHMMSS-fff[-n].png|jpg) are accepted.", "image/png", "image/jpeg")
            .Refuses(NotFound);
    }

    private static HealthReport Health(ServerState state)
    {
        using var process = Process.GetCurrentProcess();
        return new HealthReport(
            Status: "ok",
            Version: typeof(ApiEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "dev",
            Analyzer: state.Pool.Description,
            Packs: [.. state.Packs.All.Select(p => p.Name)],
            Sockets: state.Sockets.Open,
            PixelsInFlight: state.Budget.InFlight,
            RssBytes: process.WorkingSet64,
            UptimeSeconds: Math.Round(state.Uptime.Elapsed.TotalSeconds, 1));
    }

    private static IResult Emoji(ServerState state, string packName, string emotionName, string file, string? size)
    {
        if (!state.Packs.TryGet(packName, out WebPack pack))
        {
            throw new ApiProblem(StatusCodes.Status404NotFound, $"no pack named '{Clip(packName)}'; see GET /api/packs");
        }

        if (!EmotionNames.TryParse(emotionName, out Emotion emotion))
        {
            throw new ApiProblem(StatusCodes.Status404NotFound, $"no emotion named '{Clip(emotionName)}'; one of {string.Join(", ", EmotionNames.Canonical)}");
        }

        string extension = Path.GetExtension(file).ToLowerInvariant();
        string intensityName = file[..^extension.Length];
        if (!Enum.TryParse(intensityName, ignoreCase: true, out Intensity intensity) || !Enum.IsDefined(intensity) || intensityName.Any(char.IsDigit))
        {
            throw new ApiProblem(StatusCodes.Status404NotFound, $"no intensity named '{Clip(intensityName)}'; one of mild, clear, strong");
        }

        int pixels = WebPackCatalog.DefaultSize;
        if (size is not null && !int.TryParse(size, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out pixels))
        {
            throw new ApiProblem(StatusCodes.Status400BadRequest,
                $"size '{Clip(size)}' is not a whole number of pixels; ask for ?size={WebPackCatalog.DefaultSize} (from {WebPackCatalog.MinSize} to {WebPackCatalog.MaxSize})");
        }

        if (pixels is < WebPackCatalog.MinSize or > WebPackCatalog.MaxSize)
        {
            throw new ApiProblem(StatusCodes.Status400BadRequest, $"size {pixels} is out of range ({WebPackCatalog.MinSize} to {WebPackCatalog.MaxSize} pixels)");
        }

        return extension switch
        {
            ".png" => Results.Bytes(state.Packs.Png(pack, emotion, intensity, pixels), "image/png"),
            ".svg" when pack.HasSvg => Results.Text(state.Packs.Svg(pack, emotion, intensity, pixels)!, "image/svg+xml"),
            ".svg" => throw new ApiProblem(StatusCodes.Status404NotFound, $"the '{pack.Name}' pack has no SVG pictures; ask for .png"),
            _ => throw new ApiProblem(StatusCodes.Status404NotFound, $"'{Clip(file)}': ask for {intensityName}.png or {intensityName}.svg"),
        };
    }

    private static async Task<IResult> AnalyzeAsync(ServerState state, HttpRequest request, string? annotate, string? packName, string? modeName, CancellationToken cancel)
    {
        if (annotate is not null)
        {
            return await AnnotateAsync(state, request, annotate, packName, modeName, cancel);
        }

        long start = Stopwatch.GetTimestamp();
        using PooledUpload upload = await ImageUploads.ReadPooledAsync(request, state.Limits, cancel);
        ReadOnlyMemory<byte> bytes = upload.Bytes;
        string name = upload.Name;
        long read = Stopwatch.GetTimestamp();
        using IDisposable pixels = await state.Budget.ReserveAsync(ImageUploads.CheckSize(bytes.Span, name, state.Limits), cancel);
        long queued = 0, decoded = 0, analysed = 0;
        string json = await state.Pool.RunAsync(analyzer =>
        {
            queued = Stopwatch.GetTimestamp();
            RgbaImage image;
            try
            {
                image = ImageUploads.Decode(bytes.Span, name, state.Limits);
            }
            catch
            {
                state.Metrics.AnalysisFailed("http");
                throw;
            }

            decoded = Stopwatch.GetTimestamp();
            var faces = analyzer.Analyze(image);
            analysed = Stopwatch.GetTimestamp();
            state.Metrics.Analysed("http", faces.Count, Stopwatch.GetElapsedTime(queued));
            return AnalysisJson.ImageLine(name, image.Width, image.Height, faces);
        }, cancel);
        // Where the time went, for load tests and the browser's network panel (tools/load_analyze.py sums it up).
        request.HttpContext.Response.Headers["Server-Timing"] =
            $"read;dur={Ms(start, read)}, wait;dur={Ms(read, queued)}, decode;dur={Ms(queued, decoded)}, analyze;dur={Ms(decoded, analysed)}";
        return Results.Text(json, "application/json; charset=utf-8");
    }

    /// <summary>
    /// <c>POST /api/analyze?annotate=png|jpeg[&amp;pack=…&amp;mode=…]</c>: the picture with the emoji drawn as
    /// <c>facemoji image</c> draws it, and the face count in the <c>X-Facemoji-Faces</c> header.
    /// </summary>
    private static async Task<IResult> AnnotateAsync(ServerState state, HttpRequest request, string annotate, string? packName, string? modeName, CancellationToken cancel)
    {
        ImageFileFormat format = annotate.ToLowerInvariant() switch
        {
            "png" => ImageFileFormat.Png,
            "jpeg" or "jpg" => ImageFileFormat.Jpeg,
            _ => throw new ApiProblem(StatusCodes.Status400BadRequest, $"annotate={Clip(annotate)}: ask for annotate=png or annotate=jpeg"),
        };
        string chosenPack = packName ?? state.Options.Pack;
        if (!state.Packs.TryGet(chosenPack, out WebPack webPack))
        {
            throw new ApiProblem(StatusCodes.Status400BadRequest, $"no pack named '{Clip(chosenPack)}'; see GET /api/packs");
        }

        string chosenMode = (modeName ?? state.Options.Mode).ToLowerInvariant();
        if (chosenMode is not ("cover" or "badge" or "panel"))
        {
            throw new ApiProblem(StatusCodes.Status400BadRequest, $"mode={Clip(chosenMode)}: one of cover, badge, panel");
        }

        var emojiPack = state.Packs.Drawer(webPack);
        var (bytes, name) = await ImageUploads.ReadAsync(request, state.Limits, cancel);
        var (encoded, faces) = await state.Pool.RunAsync(analyzer =>
        {
            RgbaImage image = ImageUploads.Decode(bytes, name, state.Limits);
            var annotator = new Pipeline.Annotation.ImageAnnotator(analyzer, emojiPack, Enum.Parse<Emoji.Display.DisplayMode>(chosenMode, ignoreCase: true));
            var (found, annotated) = annotator.Annotate(image);
            return (ImageCodecs.Encode(annotated, format), found.Count);
        }, cancel);
        request.HttpContext.Response.Headers["X-Facemoji-Faces"] = faces.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Results.Bytes(encoded, format == ImageFileFormat.Png ? "image/png" : "image/jpeg");
    }

    private static async Task<IResult> SaveAsync(ServerState state, HttpRequest request, CancellationToken cancel)
    {
        var (bytes, name) = await ImageUploads.ReadAsync(request, state.Limits, cancel);
        ImageFileFormat format = ImageCodecs.DetectFormat(bytes);
        if (ImageCodecs.IsReadable(format) && format is not (ImageFileFormat.Png or ImageFileFormat.Jpeg))
        {
            // The page saves what it composed as PNG or JPEG; the gallery keeps those two (and serves them by extension).
            throw new ApiProblem(StatusCodes.Status415UnsupportedMediaType, $"{name}: {ImageCodecs.Describe(format)}; the gallery keeps PNG or JPEG pictures");
        }

        state.Saves.CheckRoom(bytes.Length);
        using (await state.Budget.ReserveAsync(ImageUploads.CheckSize(bytes, name, state.Limits), cancel))
        {
            // Decoding proves it is a whole picture of a sane size before it lands in the gallery.
            ImageUploads.Decode(bytes, name, state.Limits);
        }

        var saved = state.Saves.Save(bytes, format);
        return Results.Json(saved, WebJson.Options, statusCode: StatusCodes.Status201Created);
    }

    private static IResult SavedFile(ServerState state, string name)
    {
        string path = state.Saves.PathOf(name)
            ?? throw new ApiProblem(StatusCodes.Status404NotFound, $"no saved picture named '{Clip(name)}'");
        string type = path.EndsWith(".jpg", StringComparison.Ordinal) ? "image/jpeg" : "image/png";
        return Results.File(path, type, fileDownloadName: null);
    }

    private static string Ms(long from, long to) =>
        Stopwatch.GetElapsedTime(from, to).TotalMilliseconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);

    // Echoed names are clipped so an error message cannot be made arbitrarily long.
    private static string Clip(string text) => text.Length <= 60 ? text : text[..60] + "...";
}
