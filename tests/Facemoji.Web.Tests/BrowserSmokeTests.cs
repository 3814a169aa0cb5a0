namespace Facemoji.Web.Tests;

public class BrowserSmokeTests : IClassFixture<WebServerFixture>
{
    private readonly WebServerFixture server;

    public BrowserSmokeTests(WebServerFixture server) => this.server = server;

    [Fact(Timeout = 60_000)]
    public async Task Page_without_a_camera_says_so()
    {
        await using var chromium = await Chromium.LaunchAsync(fakeCamera: null);
        var page = await chromium.NewPageAsync();
        await page.GotoAsync(server.BaseAddress.ToString());
        var status = page.Locator("#camera-status[data-problem]");
        await status.WaitForAsync(new() { Timeout = 20_000 });
        (await status.TextContentAsync()).Should().Contain("upload");
    }
}
