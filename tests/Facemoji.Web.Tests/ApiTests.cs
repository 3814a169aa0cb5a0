using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Facemoji.Emoji;
using Facemoji.Imaging;
using Facemoji.Imaging.Processing;
using Facemoji.Pipeline;

namespace Facemoji.Web.Tests;

/// <summary>The HTTP API against the real server on a loopback port: what works, and every refusal as a 4xx with a JSON message.</summary>
public class ApiTests : IClassFixture<WebServerFixture>
{
    private readonly WebServerFixture server;

    public ApiTests(WebServerFixture server) => this.server = server;

    private HttpClient Client => server.Client;

    [Fact]
    public async Task Health_says_ok_and_reports_memory_and_packs()
    {
        var health = await Client.GetFromJsonAsync<JsonElement>("/api/health");
        health.GetProperty("status").GetString().Should().Be("ok");
        health.GetProperty("rssBytes").GetInt64().Should().BeGreaterThan(10_000_000);
        health.GetProperty("packs").EnumerateArray().Select(p => p.GetString()).Should().Contain("facemoji");
        health.GetProperty("analyzer").GetString().Should().Contain("model").And.Contain("blazeface detector", "BlazeFace is the default detector");
    }

    [Fact]
    public async Task Packs_list_the_drawn_pack_with_svg()
    {
        var packs = await Client.GetFromJsonAsync<JsonElement>("/api/packs");
        var drawn = packs.EnumerateArray().Single(p => p.GetProperty("name").GetString() == "facemoji");
        drawn.GetProperty("svg").GetBoolean().Should().BeTrue();
        drawn.GetProperty("description").GetString().Should().NotBeNullOrWhiteSpace();
    }

    [Fact]
    public async Task Emoji_are_served_as_svg_and_png()
    {
        using var svg = await Client.GetAsync("/api/emoji/facemoji/happy/strong.svg?size=64");
        svg.StatusCode.Should().Be(HttpStatusCode.OK);
        svg.Content.Headers.ContentType!.MediaType.Should().Be("image/svg+xml");
        (await svg.Content.ReadAsStringAsync()).Should().Contain("<svg");

        using var png = await Client.GetAsync("/api/emoji/facemoji/sad/mild.png?size=64");
        png.StatusCode.Should().Be(HttpStatusCode.OK);
        RgbaImage image = ImageCodecs.Decode(await png.Content.ReadAsByteArrayAsync(), "emoji");
        (image.Width, image.Height).Should().Be((64, 64));
    }

    [Theory]
    [InlineData("/api/emoji/nope/happy/clear.png", 404, "no pack")]
    [InlineData("/api/emoji/facemoji/joyful/clear.png", 404, "no emotion")]
    [InlineData("/api/emoji/facemoji/happy/loud.png", 404, "no intensity")]
    [InlineData("/api/emoji/facemoji/happy/1.png", 404, "no intensity")]
    [InlineData("/api/emoji/facemoji/happy/clear.gif", 404, "clear.png")]
    [InlineData("/api/emoji/facemoji/happy/clear.png?size=0", 400, "out of range")]
    [InlineData("/api/emoji/facemoji/happy/clear.png?size=100000", 400, "out of range")]
    [InlineData("/api/nothing/here", 404, "no such")]
    [InlineData("/ws", 400, "WebSocket")]
    public async Task Bad_requests_get_a_json_refusal(string path, int status, string message)
    {
        using var response = await Client.GetAsync(path);
        await ShouldBeRefusal(response, status, message);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task Analyze_returns_the_json_of_facemoji_image()
    {
        byte[] photo = TestFiles.AstronautBytes();
        using var response = await Client.PostAsync("/api/analyze", new ByteArrayContent(photo) { Headers = { ContentType = new("image/png") } });
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        string body = await response.Content.ReadAsStringAsync();

        // The very same object as `facemoji image --json` writes for this picture.
        RgbaImage image = ImageCodecs.Decode(photo, "upload");
        var faces = FaceAnalyzer.Create(new AnalyzerOptions { ModelPath = TestFiles.ModelPath }).Analyze(image);
        body.Should().Be(AnalysisJson.ImageLine("upload", image.Width, image.Height, faces));

        var json = JsonDocument.Parse(body).RootElement;
        json.GetProperty("width").GetInt32().Should().Be(512);
        var face = json.GetProperty("faces").EnumerateArray().Should().ContainSingle("the astronaut is the one face in the photo").Subject;
        int[] box = face.GetProperty("box").EnumerateArray().Select(v => v.GetInt32()).ToArray();
        box.Should().HaveCount(4);
        (box[0] + box[2]).Should().BeLessThanOrEqualTo(512);
        face.GetProperty("probabilities").EnumerateObject().Sum(p => p.Value.GetDouble()).Should().BeApproximately(1, 0.01);
        face.GetProperty("emoji").GetString().Should().Be(UnicodeEmoji.For(faces[0].Reading));
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task Concurrent_uploads_of_different_sizes_each_get_their_own_answer()
    {
        // More requests at once than cores (analyses then run their loops inline) with bodies of two sizes, so pooled
        // body buffers and gray buffers are reused for a different image than the one before: each answer must still
        // be exactly what `facemoji image --json` gives for its own picture.
        byte[] photo = TestFiles.AstronautBytes();
        RgbaImage full = ImageCodecs.Decode(photo, "upload");
        byte[] smaller = ImageCodecs.Encode(Cropping.Crop(full, new PixelRect(100, 20, 300, 260)), ImageFileFormat.Png);
        var analyzer = FaceAnalyzer.Create(new AnalyzerOptions { ModelPath = TestFiles.ModelPath });
        string Expected(byte[] bytes)
        {
            RgbaImage image = ImageCodecs.Decode(bytes, "upload");
            return AnalysisJson.ImageLine("upload", image.Width, image.Height, analyzer.Analyze(image));
        }

        var expected = new Dictionary<byte[], string> { [photo] = Expected(photo), [smaller] = Expected(smaller) };
        var uploads = Enumerable.Range(0, 4 * Math.Max(2, Environment.ProcessorCount)).Select(i => i % 3 == 0 ? photo : smaller).ToList();

        string[] answers = await Task.WhenAll(uploads.Select(async bytes =>
        {
            using var response = await Client.PostAsync("/api/analyze", new ByteArrayContent(bytes) { Headers = { ContentType = new("image/png") } });
            response.StatusCode.Should().Be(HttpStatusCode.OK);
            return await response.Content.ReadAsStringAsync();
        }));

        answers.Should().Equal(uploads.Select(bytes => expected[bytes]));
        JsonDocument.Parse(expected[smaller]).RootElement.GetProperty("width").GetInt32().Should().Be(300);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task Analyze_with_annotate_returns_the_picture_that_facemoji_image_draws()
    {
        byte[] photo = TestFiles.AstronautBytes();
        using var response = await Client.PostAsync("/api/analyze?annotate=png&mode=BADGE", new ByteArrayContent(photo) { Headers = { ContentType = new("image/png") } });
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("image/png");
        response.Headers.GetValues("X-Facemoji-Faces").Should().Equal("1");
        var annotated = ImageCodecs.Decode(await response.Content.ReadAsByteArrayAsync(), "answer");

        RgbaImage image = ImageCodecs.Decode(photo, "upload");
        var analyzer = FaceAnalyzer.Create(new AnalyzerOptions { ModelPath = TestFiles.ModelPath });
        var expected = new Facemoji.Pipeline.Annotation.ImageAnnotator(analyzer, EmojiPacks.Resolve("facemoji"), Facemoji.Emoji.Display.DisplayMode.Badge).Annotate(image).Annotated;
        annotated.Pixels.SequenceEqual(expected.Pixels).Should().BeTrue("the API draws exactly what facemoji image --mode badge draws");

        using var jpeg = await Client.PostAsync("/api/analyze?annotate=jpeg", new ByteArrayContent(photo) { Headers = { ContentType = new("image/png") } });
        jpeg.Content.Headers.ContentType!.MediaType.Should().Be("image/jpeg");
        using var bad = await Client.PostAsync("/api/analyze?annotate=gif", new ByteArrayContent(photo) { Headers = { ContentType = new("image/png") } });
        bad.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await bad.Content.ReadAsStringAsync()).Should().Contain("annotate=png or annotate=jpeg");
    }

    [Fact]
    public async Task Analyze_takes_a_multipart_file_and_echoes_its_name_only()
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(TestFiles.AstronautBytes());
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(file, "image", "../../etc/astronaut.png");
        using var response = await Client.PostAsync("/api/analyze", form);
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        json.GetProperty("file").GetString().Should().Be("astronaut.png");
        json.GetProperty("faces").GetArrayLength().Should().Be(1);
    }

    [Theory]
    [InlineData("webp", "image/webp")]
    [InlineData("gif", "image/gif")]
    [InlineData("bmp", "image/bmp")]
    public async Task Analyze_reads_webp_gif_and_bmp_uploads(string format, string contentType)
    {
        RgbaImage photo = ImageCodecs.Decode(TestFiles.AstronautBytes(), "astronaut.png");
        byte[] body = format switch
        {
            "webp" => TestImageFiles.WebP(photo),
            "gif" => TestImageFiles.Gif(Facemoji.Imaging.Processing.ColorConversion.ToGray(photo)),
            _ => TestImageFiles.Bmp(photo),
        };
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(body);
        file.Headers.ContentType = new(contentType);
        form.Add(file, "image", "astronaut." + format);

        using var response = await Client.PostAsync("/api/analyze", form);

        response.StatusCode.Should().Be(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        json.GetProperty("file").GetString().Should().Be("astronaut." + format);
        json.GetProperty("faces").GetArrayLength().Should().Be(1);
    }

    [Fact]
    public async Task The_gallery_keeps_png_and_jpeg_only()
    {
        byte[] gif = TestImageFiles.Gif(new GrayImage(16, 16));
        using var response = await Client.PostAsync("/api/saves", new ByteArrayContent(gif));
        await ShouldBeRefusal(response, 415, "the gallery keeps PNG or JPEG");
    }

    public static TheoryData<string, byte[], int, string> BadBodies() => new()
    {
        { "empty", [], 400, "no body" },
        { "text", CraftedImages.Text, 415, "PNG, JPEG, WebP, GIF or BMP" },
        { "broken gif", CraftedImages.Gif, 422, "GIF" },
        { "tiff", CraftedImages.Tiff, 415, "TIFF" },
        { "truncated png", TestFiles.AstronautBytes()[..2000], 422, "upload" },
        { "150 megapixels", CraftedImages.PngClaiming(15_000, 10_000), 413, "megapixels" },
        { "absurd side", CraftedImages.PngClaiming(70_000, 10), 413, "absurd" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Analyze_refuses_bad_bodies(string what, byte[] body, int status, string message)
    {
        using var response = await Client.PostAsync("/api/analyze", new ByteArrayContent(body));
        await ShouldBeRefusal(response, status, message, because: what);
    }

    [Fact]
    public async Task Analyze_refuses_a_form_without_a_file()
    {
        using var form = new MultipartFormDataContent { { new StringContent("hello"), "note" } };
        using var response = await Client.PostAsync("/api/analyze", form);
        await ShouldBeRefusal(response, 400, "no file");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Bodies_over_10_MB_are_refused_with_or_without_a_length(bool declareLength)
    {
        byte[] big = new byte[11 * 1024 * 1024];
        TestFiles.AstronautBytes().CopyTo(big, 0);
        for (int attempt = 1; ; attempt++)
        {
            HttpContent content = declareLength ? new ByteArrayContent(big) : new StreamContent(new UnknownLengthStream(big));
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/analyze") { Content = content };
            if (declareLength)
            {
                // As curl does for big bodies: the server can refuse on the length alone, before a byte is sent.
                request.Headers.ExpectContinue = true;
            }
            else
            {
                request.Headers.TransferEncodingChunked = true;
            }

            try
            {
                using var response = await Client.SendAsync(request);
                await ShouldBeRefusal(response, 413, "10 MB");
                return;
            }
            catch (HttpRequestException e) when (attempt < 3 && e.InnerException is IOException)
            {
                // The server answers 413 and closes while a chunked body is still being sent; now and then the
                // client's next write meets the closed socket (broken pipe) before it reads the answer. Send again:
                // a server that never answered 413 would fail every attempt.
            }
        }
    }

    [Fact]
    public async Task Saved_pictures_are_stored_listed_and_served()
    {
        byte[] png = ImageCodecs.Encode(new RgbaImage(32, 24), ImageFileFormat.Png);
        using var response = await Client.PostAsync("/api/saves", new ByteArrayContent(png) { Headers = { ContentType = new("image/png") } });
        response.StatusCode.Should().Be(HttpStatusCode.Created);
        var saved = await response.Content.ReadFromJsonAsync<JsonElement>();
        string name = saved.GetProperty("name").GetString()!;
        name.Should().MatchRegex(@"^facemoji-\d{8}-\d{6}-\d{3}(-\d+)?\.png$");
        File.ReadAllBytes(Path.Combine(server.SavesFolder, name)).Should().Equal(png);

        var list = await Client.GetFromJsonAsync<JsonElement>("/api/saves");
        list.EnumerateArray().Select(s => s.GetProperty("name").GetString()).Should().Contain(name);
        (await Client.GetByteArrayAsync(saved.GetProperty("url").GetString())).Should().Equal(png);
    }

    [Fact]
    public async Task Saves_refuse_what_is_not_a_picture()
    {
        int before = SavedFiles();
        using (var text = await Client.PostAsync("/api/saves", new ByteArrayContent(CraftedImages.Text)))
        {
            await ShouldBeRefusal(text, 415, "PNG, JPEG, WebP, GIF or BMP");
        }

        using (var truncated = await Client.PostAsync("/api/saves", new ByteArrayContent(TestFiles.AstronautBytes()[..5000])))
        {
            await ShouldBeRefusal(truncated, 422, "upload");
        }

        SavedFiles().Should().Be(before, "a refused picture leaves nothing behind");
    }

    [Theory]
    [InlineData("/api/saves/../../../../../../etc/passwd")]
    [InlineData("/api/saves/..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd")]
    [InlineData("/api/saves/%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd")]
    [InlineData("/api/saves/..%5C..%5C..%5Cetc%5Cpasswd")]
    [InlineData("/api/saves/%2Fetc%2Fpasswd")]
    [InlineData("/api/saves/facemoji-20260101-000000-000.png%00.txt")]
    [InlineData("/api/saves/..%2FSECRET")]
    [InlineData("/api/emoji/..%2F..%2F..%2F..%2Fetc/happy/clear.png")]
    [InlineData("/api/emoji/facemoji/..%2F..%2F..%2Fetc%2Fpasswd/clear.png")]
    [InlineData("/api/emoji/facemoji/happy/..%2F..%2F..%2Fetc%2Fpasswd")]
    [InlineData("/..%2F..%2F..%2Fetc%2Fpasswd")]
    [InlineData("/app.js/..%2F..%2F..%2Fetc%2Fpasswd")]
    public async Task No_path_reaches_outside_the_saves_and_pack_folders(string path)
    {
        // A secret beside the saves folder: one step up from it, where "../" would lead.
        string secretName = $"facemoji-secret-{Guid.NewGuid():N}.txt";
        string secret = Path.Combine(Path.GetDirectoryName(server.SavesFolder)!, secretName);
        await File.WriteAllTextAsync(secret, "TOP-SECRET");
        try
        {
            string raw = server.BaseAddress.ToString().TrimEnd('/') + path.Replace("SECRET", secretName);
            var uri = new Uri(raw, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
            using var response = await Client.GetAsync(uri);
            string body = await response.Content.ReadAsStringAsync();
            ((int)response.StatusCode).Should().BeInRange(400, 499, body);
            body.Should().NotContain("root:").And.NotContain("TOP-SECRET");
            // Kestrel itself rejects some malformed paths (a NUL, "/.." above the root) with an empty 400 before the
            // app sees them; everything the app answers is a JSON message.
            if (body.Length > 0)
            {
                response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
            }
        }
        finally
        {
            File.Delete(secret);
        }
    }

    private int SavedFiles() => Directory.Exists(server.SavesFolder) ? Directory.GetFiles(server.SavesFolder).Length : 0;

    internal static async Task ShouldBeRefusal(HttpResponseMessage response, int status, string message, string because = "")
    {
        string body = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).Should().Be(status, $"{because} {body}");
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        var json = JsonDocument.Parse(body).RootElement;
        json.GetProperty("status").GetInt32().Should().Be(status);
        json.GetProperty("error").GetString().Should().Contain(message, because);
    }

    /// <summary>A stream that hides its length, so the client must send the body chunked.</summary>
    private sealed class UnknownLengthStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
