using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Facemoji.Imaging;
using Facemoji.Pipeline;

namespace Facemoji.Web.Tests.Monitoring;

/// <summary>/api/health/live, /api/health/ready and /metrics: the format, and that the counts follow what the server did.</summary>
public class MonitoringTests : IClassFixture<WebServerFixture>
{
    private readonly WebServerFixture server;

    public MonitoringTests(WebServerFixture server) => this.server = server;

    [Fact(Timeout = 60_000)]
    public async Task Liveness_and_readiness_answer_apart_from_the_full_health()
    {
        using var live = await server.Client.GetAsync("/api/health/live");
        live.StatusCode.Should().Be(HttpStatusCode.OK);
        (await live.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString().Should().Be("ok");

        using var ready = await server.Client.GetAsync("/api/health/ready");
        ready.StatusCode.Should().Be(HttpStatusCode.OK);
        (await ready.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString().Should().Be("ready");

        using var health = await server.Client.GetAsync("/api/health");
        health.StatusCode.Should().Be(HttpStatusCode.OK, "the full health report stays where it was");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_server_that_cannot_write_its_saves_is_alive_but_not_ready()
    {
        // A file where the saves folder should be: the folder can never be made.
        string blocker = Path.Combine(Path.GetTempPath(), $"facemoji-not-a-folder-{Guid.NewGuid():N}");
        File.WriteAllText(blocker, "in the way");
        await using var blocked = FacemojiServer.Create(new ServerOptions
        {
            Urls = "http://127.0.0.1:0",
            SavesFolder = blocker,
            Analyzer = new AnalyzerOptions { ModelPath = TestFiles.ModelPath },
        });
        try
        {
            await blocked.StartAsync();
            using var client = new HttpClient { BaseAddress = blocked.Addresses.Single(), Timeout = TimeSpan.FromSeconds(30) };
            (await client.GetAsync("/api/health/live")).StatusCode.Should().Be(HttpStatusCode.OK);
            using var ready = await client.GetAsync("/api/health/ready");
            ready.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
            (await ready.Content.ReadAsStringAsync()).Should().Contain("saves folder").And.Contain(blocker);
        }
        finally
        {
            File.Delete(blocker);
        }
    }

    [Fact(Timeout = 60_000)]
    [Trait("Category", "Slow")]
    public async Task Metrics_are_prometheus_text_and_count_requests_pictures_faces_errors_and_sockets()
    {
        var before = await ScrapeAsync();

        byte[] photo = TestFiles.AstronautBytes();
        using (var analyzed = await server.Client.PostAsync("/api/analyze", new ByteArrayContent(photo) { Headers = { ContentType = new("image/png") } }))
        {
            analyzed.StatusCode.Should().Be(HttpStatusCode.OK);
        }

        using (var bad = await server.Client.PostAsync("/api/analyze", new ByteArrayContent(CraftedImages.Text) { Headers = { ContentType = new("image/png") } }))
        {
            ((int)bad.StatusCode).Should().BeInRange(400, 499);
        }

        using (var socket = await LiveSocketTests.ConnectAsync(server.BaseAddress))
        {
            await LiveSocketTests.ReceiveJsonAsync(socket);
            byte[] jpeg = ImageCodecs.Encode(ImageCodecs.Decode(photo, "astronaut"), ImageFileFormat.Jpeg, 80);
            for (uint id = 1; id <= 3; id++)
            {
                await LiveSocketTests.SendFrameAsync(socket, id, jpeg);
                await LiveSocketTests.ReceiveJsonAsync(socket);
            }

            await LiveSocketTests.SendFrameAsync(socket, 4, CraftedImages.Text);
            (await LiveSocketTests.ReceiveJsonAsync(socket)).GetProperty("type").GetString().Should().Be("error");

            var during = await ScrapeAsync();
            during["facemoji_live_sockets"].Should().BeGreaterThanOrEqualTo(1);
            during.Types["facemoji_live_sockets"].Should().Be("gauge");
        }

        var after = await ScrapeAsync();
        double Delta(string series) => after[series] - before[series];
        Delta("""facemoji_frames_analysed_total{source="http"}""").Should().BeGreaterThanOrEqualTo(1);
        Delta("""facemoji_faces_total{source="http"}""").Should().BeGreaterThanOrEqualTo(1, "the sample photo has a face");
        Delta("""facemoji_analysis_errors_total{source="http"}""").Should().BeGreaterThanOrEqualTo(1);
        Delta("""facemoji_frames_analysed_total{source="live"}""").Should().BeGreaterThanOrEqualTo(3);
        Delta("""facemoji_faces_total{source="live"}""").Should().BeGreaterThanOrEqualTo(2, "the tracker shows the face from the second frame");
        Delta("""facemoji_analysis_errors_total{source="live"}""").Should().BeGreaterThanOrEqualTo(1);
        Delta("facemoji_live_sockets_opened_total").Should().BeGreaterThanOrEqualTo(1);
        Delta("""facemoji_http_requests_total{method="POST",route="/api/analyze",status="200"}""").Should().BeGreaterThanOrEqualTo(1);
        Delta("""facemoji_http_request_duration_seconds_count{route="/api/analyze"}""").Should().BeGreaterThanOrEqualTo(2);
        after.Types["facemoji_http_requests_total"].Should().Be("counter");
        after.Types["facemoji_http_request_duration_seconds"].Should().Be("histogram");
        after.Types["facemoji_analysis_duration_seconds"].Should().Be("histogram");
        after["facemoji_process_resident_memory_bytes"].Should().BeGreaterThan(10_000_000);
        after.Series.Should().NotContain(s => s.Contains("/api/saves/facemoji-"), "routes are labelled by pattern, not by path");
    }

    [Fact]
    public void The_reader_catches_malformed_exposition_text()
    {
        var noType = () => PrometheusText.Parse("# HELP a_total x\na_total 1\n");
        noType.Should().Throw<Exception>();
        var badValue = () => PrometheusText.Parse("# HELP a x\n# TYPE a gauge\na one\n");
        badValue.Should().Throw<Exception>();
        var notCumulative = () => PrometheusText.Parse(
            "# HELP h x\n# TYPE h histogram\nh_bucket{le=\"1\"} 5\nh_bucket{le=\"+Inf\"} 3\nh_sum 1\nh_count 3\n");
        notCumulative.Should().Throw<Exception>();
        PrometheusText.Parse("# HELP h x\n# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 3\nh_sum 1.5\nh_count 3\n")["h_count"].Should().Be(3);
    }

    private async Task<PrometheusText> ScrapeAsync()
    {
        using var response = await server.Client.GetAsync("/metrics");
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.ToString().Should().Contain("text/plain").And.Contain("version=0.0.4");
        return PrometheusText.Parse(await response.Content.ReadAsStringAsync());
    }
}
